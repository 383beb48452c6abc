package org.cnt.chain.micro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.proof.ProofExchange;
import org.cnt.chain.proof.ProofStatement;

class MicroCodecPropertiesTest {
    private static final KeyPair OWNER = KeyPair.fromLabel("owner");
    private static final List<KeyPair> MEMBERS = List.of(KeyPair.fromLabel("m0"),
            KeyPair.fromLabel("m1"), KeyPair.fromLabel("m2"), KeyPair.fromLabel("m3"));
    private static final Hash SESSION = Hash.sha256("session".getBytes());

    static List<PublicKey> memberKeys() {
        return MEMBERS.stream().map(KeyPair::publicKey).toList();
    }

    static QuorumCert certify(MicroBlock block, int... voters) {
        long signers = 0;
        List<byte[]> signatures = new ArrayList<>();
        for (int voter : voters) {
            signers |= 1L << voter;
        }
        for (int member = 0; member < MEMBERS.size(); member++) {
            if ((signers & (1L << member)) != 0) {
                signatures.add(Vote.sign(MEMBERS.get(member), member, block).signature());
            }
        }
        return new QuorumCert(block.chunkId(), block.epoch(), block.view(), block.height(),
                block.hash(), signers, signatures);
    }

    @Provide
    Arbitrary<MicroMessage> messages() {
        Arbitrary<List<Wop>> wops = Arbitraries.integers().between(1, 4).flatMap(n ->
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64)
                        .map(data -> new Wop(n, n * 3L, n * 7, data)).list().ofMinSize(1)
                        .ofMaxSize(n));
        Arbitrary<ChunkOp> ops = Arbitraries.oneOf(
                wops.map(w -> ChunkOp.WopBatch.sign(OWNER, 3, 9, SESSION, w)),
                Arbitraries.just(ChunkOp.OpenSession.sign(OWNER, 3, 9, SESSION)),
                Arbitraries.integers().between(0, 63).list().ofMaxSize(64).map(slices ->
                        ChunkOp.OpenSession.sign(OWNER, 3, 9, SESSION, 1_000, "host", slices)),
                Arbitraries.just(ChunkOp.CloseSession.sign(OWNER, 3, 9, SESSION)),
                Arbitraries.longs().between(1, 5).map(e -> ChunkOp.Seal.sign(OWNER, 9, e)));
        Arbitrary<MicroBlock> blocks = ops.list().ofMaxSize(3).map(list -> MicroBlock.propose(
                MEMBERS.get(1), 1, QuorumCert.genesis(9, 2), 1, 0, Hash.ZERO,
                list.stream().map(ChunkOp::digest).toList()));
        return Arbitraries.oneOf(
                ops.map(op -> new MicroMessage.Submit(9, op)),
                ops.list().ofMaxSize(3).map(list -> new MicroMessage.Proposal(9,
                        MicroBlock.propose(MEMBERS.get(1), 1, QuorumCert.genesis(9, 2), 1, 0,
                                Hash.ZERO, list.stream().map(ChunkOp::digest).toList()), list)),
                blocks.map(b -> new MicroMessage.VoteMsg(9, Vote.sign(MEMBERS.get(2), 2, b))),
                blocks.map(b -> new MicroMessage.Certificate(9, certify(b, 0, 1, 3))),
                blocks.map(b -> new MicroMessage.NewViewMsg(9, NewView.sign(MEMBERS.get(0), 0, 9,
                        2, 4, certify(b, 0, 1, 2)))),
                Arbitraries.longs().between(0, 1000).map(h -> new MicroMessage.BlockRequest(9, 2, h,
                        16)),
                blocks.map(b -> new MicroMessage.BlockResponse(9, List.of(
                        new MicroMessage.Proposal(9, b, List.of())), certify(b, 1, 2, 3))),
                blocks.map(b -> new MicroMessage.StateResponse(9, b, certify(b, 0, 1, 2),
                        b.parentHash(), b.hash().toBytes(), 3,
                        List.of(new byte[] {1, 2}, new byte[0]))),
                blocks.map(b -> new MicroMessage.Rejected(9, b.hash(), "sequence: expects 4")),
                blocks.map(b -> new MicroMessage.Committed(9, Hash.sha256(b.hash().toBytes()),
                        List.of(b, b), certify(b, 0, 2, 3))),
                blocks.map(b -> new MicroMessage.ProofMsg(9, new ProofExchange.Response(9, 40, 3,
                        b.height(), b.hash(), new byte[64]))),
                blocks.map(b -> new MicroMessage.ProofMsg(9, new ProofExchange.Proposal(9, 40, 3,
                        new ProofStatement(9, 40, b.hash(), new long[] {1, 3, 7}),
                        new byte[64]))),
                blocks.map(b -> new MicroMessage.ProofMsg(9, new ProofExchange.Vote(9, 60, 2, 7,
                        new byte[64]))));
    }

    @Property(tries = 300)
    void everyMessageRoundTripsToTheSameBytes(@ForAll("messages") MicroMessage message)
            throws CodecException {
        byte[] bytes = message.toBytes();
        MicroMessage decoded = MicroMessage.decode(bytes);
        assertThat(decoded.toBytes()).isEqualTo(bytes);
        assertThat(decoded.getClass()).isEqualTo(message.getClass());
        if (message instanceof MicroMessage.Proposal || message instanceof MicroMessage.Submit) {
            assertThat(message.sizeHintBytes()).as("sized exactly, so never copied")
                    .isEqualTo(bytes.length);
        }
    }

    @Property(tries = 300)
    void truncatedOrExtendedMessagesAreRefused(@ForAll("messages") MicroMessage message,
                                               @ForAll @IntRange(min = 0, max = 100_000) int cut,
                                               @ForAll @IntRange(min = 1, max = 9) int extra) {
        byte[] bytes = message.toBytes();
        assertThatThrownBy(() -> MicroMessage.decode(Arrays.copyOf(bytes, cut % bytes.length)))
                .isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> MicroMessage.decode(Arrays.copyOf(bytes, bytes.length + extra)))
                .isInstanceOf(CodecException.class);
    }

    @Property(tries = 300)
    void mutatedMessagesNeverEscapeAsUncheckedErrors(@ForAll("messages") MicroMessage message,
                                                     @ForAll @IntRange(min = 0) int bit) {
        byte[] bytes = message.toBytes();
        bytes[(bit / 8) % bytes.length] ^= (byte) (1 << (bit % 8));
        try {
            MicroMessage.decode(bytes);
        } catch (CodecException | IllegalArgumentException refused) {
            // A refusal is the only acceptable failure.
        }
    }

    @Property(tries = 200)
    void aMutatedWopBatchLosesItsOwnerSignature(@ForAll @IntRange(min = 0) int bit) {
        ChunkOp.WopBatch batch = ChunkOp.WopBatch.sign(OWNER, 3, 9, SESSION,
                List.of(new Wop(0, 1, 0, new byte[] {1, 2, 3})));
        byte[] bytes = batch.toBytes();
        bytes[(bit / 8) % (bytes.length - 64)] ^= (byte) (1 << (bit % 8));
        try {
            assertThat(ChunkOp.decode(bytes).signatureValid()).isFalse();
        } catch (CodecException | IllegalArgumentException refused) {
            // Refused outright.
        }
    }

    @Property(tries = 100)
    void aWopOverPartOfABufferIsTheWopOfThoseBytes(@ForAll @IntRange(min = 0, max = 900) int from,
                                                   @ForAll @IntRange(min = 1, max = 100) int length,
                                                   @ForAll long seed) {
        byte[] buffer = new byte[1000];
        new java.util.Random(seed).nextBytes(buffer);
        Wop inPlace = new Wop(2, 5, 4096, buffer, from, length);
        Wop copied = new Wop(2, 5, 4096, java.util.Arrays.copyOfRange(buffer, from,
                from + length));
        assertThat(inPlace).isEqualTo(copied);
        assertThat(inPlace.data()).isEqualTo(copied.data());
        assertThat(ChunkOp.WopBatch.sign(OWNER, 3, 9, SESSION, List.of(inPlace)).toBytes())
                .isEqualTo(ChunkOp.WopBatch.sign(OWNER, 3, 9, SESSION, List.of(copied))
                        .toBytes());
        for (int[] bad : new int[][] {{from, -length}, {-1, length}, {1000 - length + 1, length},
                {Integer.MAX_VALUE, length}}) {
            assertThatThrownBy(
                    () -> new Wop(2, 5, 4096, buffer, bad[0], bad[1]))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Property(tries = 100)
    void aSignedBatchAndItsDecodedCopyAgreeOnDigestSignatureAndBytes(
            @ForAll @IntRange(min = 1, max = 20) int count, @ForAll long seed) throws CodecException {
        java.util.Random random = new java.util.Random(seed);
        List<Wop> wops = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] data = new byte[1 + random.nextInt(5000)];
            random.nextBytes(data);
            wops.add(new Wop(random.nextInt(4), 1 + i, random.nextInt(1000), data));
        }
        ChunkOp.WopBatch signed = ChunkOp.WopBatch.sign(OWNER, 3, 9, SESSION, wops);
        ChunkOp.WopBatch rebuilt = new ChunkOp.WopBatch(3, 9, SESSION, OWNER.publicKey(), wops,
                signed.signature());
        ChunkOp decoded = ChunkOp.decode(signed.toBytes());
        assertThat(signed.signatureValid()).isTrue();
        assertThat(decoded).isEqualTo(signed).isEqualTo(rebuilt);
        assertThat(decoded.digest()).isEqualTo(referenceDigest(signed.body(), wops))
                .isEqualTo(rebuilt.digest());
        assertThat(decoded.toBytes()).isEqualTo(rebuilt.toBytes());
        assertThat(decoded.encodedSizeBytes()).isEqualTo(signed.toBytes().length);
        assertThat(((ChunkOp.WopBatch) decoded).wops()).isEqualTo(wops);
        byte[] handedOut = decoded.toBytes();
        handedOut[0] ^= 1;
        assertThat(decoded.toBytes()).isEqualTo(signed.toBytes());
    }

    /**
     * The batch digest as specified, written out plainly: the body with each Wop's data replaced
     * by the leaf hashes of its pieces, cut at multiples of 4 KiB of the slice offset.
     */
    private static Hash referenceDigest(byte[] body, java.util.List<Wop> wops) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int at = ChunkOp.HEADER_BYTES + 4;
        out.write(body, 0, at);
        for (Wop wop : wops) {
            out.write(body, at, Wop.HEADER_BYTES);
            at += Wop.HEADER_BYTES;
            int offset = wop.offsetBytes();
            int end = offset + wop.dataLength();
            for (int from = offset; from < end; ) {
                int to = Math.min(end, (from / 4096 + 1) * 4096);
                byte[] piece = new byte[1 + to - from];
                System.arraycopy(body, at + from - offset, piece, 1, to - from);
                out.writeBytes(Hash.sha256(piece).toBytes());
                from = to;
            }
            at += wop.dataLength();
        }
        return Hash.sha256(out.toByteArray());
    }
}
