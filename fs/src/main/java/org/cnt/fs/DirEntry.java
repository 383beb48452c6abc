package org.cnt.fs;

/**
 * One entry readdir returns: {@code type} is the file type of {@code stat} shifted right by 12
 * (a Linux {@code DT_*} value); {@code nextOffset} is where a readdir continues after it, an
 * offset that stays valid while the directory changes.
 */
public record DirEntry(String name, long inode, int type, long nextOffset) {
}
