package org.cnt.farmer.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.cnt.farmer.microchain.PageBase;
import org.cnt.farmer.store.ChunkFile;

/**
 * A replica's file as the pages beneath its chunk state. Read on the replica's thread while the
 * file writer writes other pages: the state never reads a page it has handed over and not seen
 * written (it holds that page's copy until then).
 */
final class FilePages implements PageBase {
    private final ChunkFile file;
    private final int pageSizeBytes;

    FilePages(ChunkFile file, int pageSizeBytes) {
        this.file = file;
        this.pageSizeBytes = pageSizeBytes;
    }

    @Override
    public byte[] read(int page) {
        try {
            byte[] content = file.read((long) page * pageSizeBytes, pageSizeBytes);
            return ChunkFile.isZero(content, 0, content.length) ? null : content;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read page " + page + " of " + file.path()
                    + ": " + e.getMessage(), e);
        }
    }
}
