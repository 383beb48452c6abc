package org.cnt.fs.internal;

import org.cnt.fs.CorruptFilesystemException;

/** The journal cannot be read (both header copies damaged): fsck --repair can reset it. */
final class DamagedJournalException extends CorruptFilesystemException {
    DamagedJournalException(String message) {
        super(message);
    }
}
