package org.cnt.blockdev.internal;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.cnt.blockdev.PageIntegrityException;
import org.cnt.blockdev.VolumeKey;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.Wop;

/**
 * Turns page writes into owner-signed Wop batches of ciphertext and seals, and remote bytes back
 * into verified plaintext. A page's write version is the sequence number of the Wop that carries
 * its ciphertext: unique, rising, and known before the page is encrypted. A trimmed page is an
 * all-zero seal (it reads as zeros and needs no ciphertext).
 */
final class SealedPages {
    private static final int PAGE = PageStore.PAGE_BYTES;
    private static final int SEAL = PageSeal.SIZE_BYTES;

    /** A whole page to write ({@code content} null: a trim). */
    record PageWrite(long page, byte[] content) {
    }

    private final VolumeMap map;
    private final VolumeSession session;
    private final ThreadLocal<PageCipher> ciphers;

    SealedPages(VolumeMap map, VolumeKey key, VolumeSession session) {
        this.map = map;
        this.session = session;
        SecureRandom random = new SecureRandom();
        this.ciphers = ThreadLocal.withInitial(() -> new PageCipher(key, random));
    }

    /**
     * One batch of the writes, which lie in slices of one chunk and are sorted by page: per slice,
     * a Wop per run of adjacent pages and one per run of their seals inside a seal page.
     */
    ChunkOp.WopBatch seal(long chunk, List<PageWrite> writes) {
        VolumeLayout layout = map.layout();
        List<Wop> wops = new ArrayList<>();
        int from = 0;
        while (from < writes.size()) {
            int slice = layout.place(writes.get(from).page()).slice();
            int to = from;
            while (to < writes.size() && layout.place(writes.get(to).page()).slice() == slice) {
                to++;
            }
            if (map.chunkOf(slice) != chunk) {
                throw new IllegalArgumentException("page " + writes.get(from).page()
                        + " is not in chunk " + chunk);
            }
            sealSlice(slice, writes.subList(from, to), wops);
            from = to;
        }
        return ChunkOp.WopBatch.sign(session.owner(), map.volumeId(), chunk, session.id(), wops);
    }

    private void sealSlice(int slice, List<PageWrite> writes, List<Wop> wops) {
        VolumeLayout layout = map.layout();
        List<List<PageWrite>> dataRuns = runs(writes, true);
        List<List<PageWrite>> sealRuns = runs(writes, false);
        long seq = session.reserve(slice, dataRuns.size() + sealRuns.size());
        int sliceInChunk = map.slice(slice).index();
        java.util.Map<Long, PageSeal> seals = new java.util.HashMap<>();
        PageCipher cipher = ciphers.get();
        byte[] ciphertext = new byte[PAGE];
        for (List<PageWrite> run : dataRuns) {
            byte[] data = new byte[run.size() * PAGE];
            for (int i = 0; i < run.size(); i++) {
                PageWrite write = run.get(i);
                seals.put(write.page(), cipher.seal(write.page(), seq, write.content(),
                        ciphertext));
                System.arraycopy(ciphertext, 0, data, i * PAGE, PAGE);
            }
            wops.add(new Wop(sliceInChunk, seq++, layout.place(run.getFirst().page())
                    .dataOffsetBytes(), data));
        }
        for (List<PageWrite> run : sealRuns) {
            ByteBuffer data = ByteBuffer.allocate(run.size() * SEAL);
            for (PageWrite write : run) {
                PageSeal seal = seals.get(write.page());
                if (seal == null) {
                    data.put(new byte[SEAL]);
                } else {
                    seal.writeTo(data);
                }
            }
            wops.add(new Wop(sliceInChunk, seq++, layout.place(run.getFirst().page())
                    .sealOffsetBytes(), data.array()));
        }
    }

    /**
     * Runs of adjacent pages: of page data (trims have none), or of seals (which must also share
     * a seal page, as seal pages have a gap at their end).
     */
    private List<List<PageWrite>> runs(List<PageWrite> writes, boolean data) {
        List<List<PageWrite>> runs = new ArrayList<>();
        List<PageWrite> run = null;
        long previous = -2;
        for (PageWrite write : writes) {
            if (data && write.content() == null) {
                previous = -2;
                continue;
            }
            boolean adjacent = write.page() == previous + 1
                    && (data || sealPageOf(write.page()) == sealPageOf(previous));
            if (!adjacent) {
                run = new ArrayList<>();
                runs.add(run);
            }
            run.add(write);
            previous = write.page();
        }
        return runs;
    }

    private int sealPageOf(long page) {
        return map.layout().place(page).sealOffsetBytes() / PAGE;
    }

    /**
     * Pages {@code [first, first + count)}, which lie in one slice, read from replicas and
     * decrypted: the page data and their seals, read in parallel.
     */
    CompletableFuture<byte[]> read(long first, int count, Replicas replicas) {
        VolumeLayout layout = map.layout();
        VolumeLayout.Place place = layout.place(first);
        VolumeLayout.Place last = layout.place(first + count - 1);
        if (last.slice() != place.slice()) {
            throw new IllegalArgumentException("pages " + first + ".." + (first + count - 1)
                    + " span slices");
        }
        long chunk = map.chunkOf(place.slice());
        CommitPoint after = session.point(chunk);
        CompletableFuture<byte[]> data = replicas.read(chunk,
                map.chunkOffset(place.slice(), place.dataOffsetBytes()), count * PAGE, after);
        CompletableFuture<byte[]> seals = replicas.read(chunk,
                map.chunkOffset(place.slice(), place.sealOffsetBytes()),
                last.sealOffsetBytes() + SEAL - place.sealOffsetBytes(), after);
        return data.thenCombine(seals, (cipherPages, sealBytes) -> {
            try {
                return open(first, count, cipherPages, sealBytes);
            } catch (PageIntegrityException e) {
                throw new CompletionException(e);
            }
        });
    }

    private byte[] open(long first, int count, byte[] cipherPages, byte[] sealBytes)
            throws PageIntegrityException {
        VolumeLayout layout = map.layout();
        int sealBase = layout.place(first).sealOffsetBytes();
        PageCipher cipher = ciphers.get();
        byte[] plaintext = new byte[count * PAGE];
        byte[] ciphertext = new byte[PAGE];
        byte[] page = new byte[PAGE];
        for (int i = 0; i < count; i++) {
            int at = layout.place(first + i).sealOffsetBytes() - sealBase;
            PageSeal seal = PageSeal.readFrom(ByteBuffer.wrap(sealBytes, at, SEAL));
            if (seal == null) {
                continue;
            }
            System.arraycopy(cipherPages, i * PAGE, ciphertext, 0, PAGE);
            cipher.open(first + i, seal, ciphertext, page);
            System.arraycopy(page, 0, plaintext, i * PAGE, PAGE);
        }
        return plaintext;
    }
}
