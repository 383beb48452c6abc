package org.cnt.fs;

/**
 * The volume's structures are not what this filesystem wrote (a bad superblock, a checksum that
 * fails, a pointer out of range): reported as EIO, and what {@code cnt fsck} is for.
 */
public class CorruptFilesystemException extends FsException {
    public CorruptFilesystemException(String message) {
        super(FsError.EIO, message);
    }
}
