package org.cnt.blockdev.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.cnt.blockdev.VolumeConfig;
import org.cnt.blockdev.VolumeInUseException;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.SliceRef;
import org.junit.jupiter.api.Test;

/**
 * The whole client device (session, write-back log on real files, batching, encryption, read
 * cache) against copy groups in memory and a byte-array model of a disk.
 */
class OpenVolumeTest {
    private static final KeyPair OWNER = KeyPair.fromLabel("volume-test-owner");
    private static final int SLICE = 64 << 10;
    private static final int SLICES_PER_CHUNK = 4;
    /** Six slices in three chunks, in an order that is not the chunks'. */
    private static final List<SliceRef> SLICES = List.of(new SliceRef(10, 0),
            new SliceRef(10, 1), new SliceRef(11, 0), new SliceRef(12, 2), new SliceRef(11, 1),
            new SliceRef(10, 3));
    private static final VolumeMap MAP = new VolumeMap(5, SLICES, SLICE);
    private static final int SIZE = (int) MAP.layout().sizeBytes();
    private static final int PAGE = PageStore.PAGE_BYTES;

    /** 0 write, 1 read, 2 trim, 3 flush, 4 crash and reopen, 5 crash losing the cache. */
    record Op(int kind, int offset, int length, long seed) {
    }

    @Provide
    Arbitrary<Op> ops() {
        Arbitrary<Integer> kind = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(5, Arbitraries.just(1)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(2)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(3)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(4)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(5)));
        Arbitrary<Integer> offsets = Arbitraries.oneOf(Arbitraries.integers().between(0, SIZE),
                Arbitraries.integers().between(0, SIZE / PAGE).map(p -> p * PAGE));
        Arbitrary<Integer> lengths = Arbitraries.oneOf(Arbitraries.integers().between(0, 5 * PAGE),
                Arbitraries.of(1, PAGE - 1, PAGE, PAGE + 1, 16 * PAGE, 64 * PAGE));
        return Combinators.combine(kind, offsets, lengths, Arbitraries.longs())
                .as((k, offset, length, seed) -> new Op(k, offset,
                        Math.min(length, SIZE - offset), seed));
    }

    private static VolumeConfig config(Path cache, boolean force) {
        return new VolumeConfig("memory", OWNER, MAP.volumeId(), cache,
                VolumeConfig.MIN_CACHE_BYTES, 24 * PAGE, force, "test client");
    }

    private static OpenVolume open(MemoryReplicas net, Path cache, boolean force)
            throws Exception {
        return OpenVolume.open(MAP, net.connect(), config(cache, force), SLICES_PER_CHUNK, 60);
    }

    private static byte[] readAll(OpenVolume volume) throws Exception {
        ByteBuffer all = ByteBuffer.allocate(SIZE);
        volume.read(0, all);
        return all.array();
    }

    @Property(tries = 60)
    void readsReturnTheLastWriteAndCrashesLoseNothingAcceptedOrFlushed(
            @ForAll @Size(max = 30) List<@From("ops") Op> ops,
            @ForAll @DoubleRange(min = 0, max = 0.3) double lossRate,
            @ForAll long seed) throws Exception {
        Path cache = Files.createTempDirectory("cnt-volume-test");
        MemoryReplicas net = new MemoryReplicas(SLICE, SLICES_PER_CHUNK, seed);
        net.lossRate = lossRate;
        byte[] model = new byte[SIZE];
        BitSet touchedSinceFlush = new BitSet();
        OpenVolume volume = open(net, cache, false);
        try {
            for (Op op : ops) {
                switch (op.kind()) {
                    case 0 -> {
                        byte[] data = new byte[op.length()];
                        new Random(op.seed()).nextBytes(data);
                        volume.write(op.offset(), ByteBuffer.wrap(data));
                        System.arraycopy(data, 0, model, op.offset(), data.length);
                        touchedSinceFlush.set(op.offset(), op.offset() + op.length());
                    }
                    case 1 -> {
                        ByteBuffer read = ByteBuffer.allocate(op.length());
                        volume.read(op.offset(), read);
                        assertThat(read.array()).isEqualTo(Arrays.copyOfRange(model,
                                op.offset(), op.offset() + op.length()));
                    }
                    case 2 -> {
                        volume.trim(op.offset(), op.length());
                        Arrays.fill(model, op.offset(), op.offset() + op.length(), (byte) 0);
                        touchedSinceFlush.set(op.offset(), op.offset() + op.length());
                    }
                    case 3 -> {
                        volume.flush();
                        touchedSinceFlush.clear();
                    }
                    case 4 -> {
                        volume.crash();
                        volume = open(net, cache, false);
                        assertThat(readAll(volume)).as("every accepted write is replayed")
                                .isEqualTo(model);
                    }
                    default -> {
                        // The client's machine is gone with its cache: another takes over once
                        // the session lease ran out.
                        volume.crash();
                        deleteTree(cache);
                        net.nowSec += 61;
                        volume = open(net, cache, true);
                        byte[] back = readAll(volume);
                        for (int at = 0; at < SIZE; at++) {
                            if (!touchedSinceFlush.get(at) && back[at] != model[at]) {
                                throw new AssertionError("byte " + at + " was flushed as "
                                        + model[at] + " but reads " + back[at]);
                            }
                        }
                        model = back;
                        touchedSinceFlush.clear();
                    }
                }
            }
            volume.close();
            volume = open(net, cache, false);
            assertThat(readAll(volume)).isEqualTo(model);
            assertThat(volume.dirtyPages()).as("a clean close leaves nothing to replay")
                    .isZero();
        } finally {
            volume.close();
            net.shutdown();
            deleteTree(cache);
        }
    }

    @Test
    void aSecondClientIsToldWhoHoldsTheVolumeAndForceWaitsForTheLeaseToRunOut()
            throws Exception {
        Path cacheA = Files.createTempDirectory("cnt-volume-a");
        Path cacheB = Files.createTempDirectory("cnt-volume-b");
        MemoryReplicas net = new MemoryReplicas(SLICE, SLICES_PER_CHUNK, 1);
        OpenVolume a = open(net, cacheA, false);
        try {
            a.write(0, ByteBuffer.wrap(new byte[] {1, 2, 3}));
            a.flush();
            assertThatThrownBy(() -> open(net, cacheA, false))
                    .isInstanceOf(VolumeInUseException.class)
                    .hasMessageContaining("already open on this machine");
            assertThatThrownBy(() -> open(net, cacheB, false))
                    .isInstanceOf(VolumeInUseException.class)
                    .hasMessageContaining("in use by test client");
            assertThatThrownBy(() -> open(net, cacheB, true))
                    .isInstanceOf(VolumeInUseException.class)
                    .hasMessageContaining("--force takes over only a session whose lease ran out");
            a.crash();
            net.nowSec += 61;
            assertThatThrownBy(() -> open(net, cacheB, false))
                    .isInstanceOf(VolumeInUseException.class)
                    .hasMessageContaining("was not closed by test client")
                    .hasMessageContaining("--force");
            try (OpenVolume b = open(net, cacheB, true)) {
                ByteBuffer read = ByteBuffer.allocate(3);
                b.read(0, read);
                assertThat(read.array()).containsExactly(1, 2, 3);
            }
            try (OpenVolume c = open(net, cacheA, false)) {
                assertThat(c.dirtyPages()).as("b closed cleanly: a's old cache had nothing left")
                        .isZero();
            }
        } finally {
            a.close();
            net.shutdown();
            deleteTree(cacheA);
            deleteTree(cacheB);
        }
    }

    @Test
    void aClientWhoseLapsedSessionWasTakenOverFailsItsWritesInsteadOfWaitingForever()
            throws Exception {
        Path cacheA = Files.createTempDirectory("cnt-volume-a");
        Path cacheB = Files.createTempDirectory("cnt-volume-b");
        MemoryReplicas net = new MemoryReplicas(SLICE, SLICES_PER_CHUNK, 3);
        OpenVolume a = open(net, cacheA, false);
        try {
            a.write(0, ByteBuffer.wrap(new byte[] {1}));
            a.flush();
            net.nowSec += 61;
            try (OpenVolume b = open(net, cacheB, true)) {
                a.write(PAGE, ByteBuffer.wrap(new byte[] {2}));
                assertThatThrownBy(a::flush).isInstanceOf(java.io.IOException.class)
                        .hasMessageContaining("another client took it over");
                ByteBuffer read = ByteBuffer.allocate(1);
                b.read(PAGE, read);
                assertThat(read.get(0)).as("the old client's late write never landed").isZero();
            }
        } finally {
            a.crash();
            net.shutdown();
            deleteTree(cacheA);
            deleteTree(cacheB);
        }
    }

    @Test
    void farmersSeeOnlyCiphertextAndASealBesideEachPage() throws Exception {
        Path cache = Files.createTempDirectory("cnt-volume-c");
        MemoryReplicas net = new MemoryReplicas(SLICE, SLICES_PER_CHUNK, 2);
        byte[] secret = new byte[3 * PAGE];
        Arrays.fill(secret, (byte) 'x');
        try (OpenVolume volume = open(net, cache, false)) {
            volume.write(5 * PAGE, ByteBuffer.wrap(secret));
            volume.flush();
        } finally {
            deleteTree(cache);
        }
        byte[] stored = net.connect().read(10, 0, SLICES_PER_CHUNK * SLICE, CommitPoint.NONE)
                .get();
        int run = 0;
        for (byte b : stored) {
            run = b == 'x' ? run + 1 : 0;
            assertThat(run).as("plaintext on a farmer").isLessThan(8);
        }
        net.shutdown();
    }

    static void deleteTree(Path root) throws java.io.IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
