package org.cnt.blockdev;

/**
 * A page failed its authentication: the bytes a farmer returned are not what the owner wrote
 * at that place and version (forged, moved, altered or from another volume). The caller reads
 * the page from another member and reports this one.
 */
public final class PageIntegrityException extends Exception {
    public PageIntegrityException(String message) {
        super(message);
    }
}
