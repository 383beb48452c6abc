package org.cnt.chain.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.merkle.PageTree;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.ChunkRoot;
import org.cnt.chain.micro.MicroBlock;
import org.cnt.chain.micro.MicroMessage;
import org.cnt.chain.micro.QuorumCert;
import org.cnt.chain.micro.Vote;
import org.cnt.chain.micro.Wop;
import org.junit.jupiter.api.Test;

class WireCodecTest {
    static final List<KeyPair> MEMBERS = List.of(KeyPair.fromLabel("w0"), KeyPair.fromLabel("w1"),
            KeyPair.fromLabel("w2"), KeyPair.fromLabel("w3"));
    static final KeyPair OWNER = KeyPair.fromLabel("owner");
    private static final int MAX = 1 << 20;

    static List<PublicKey> memberKeys() {
        return MEMBERS.stream().map(KeyPair::publicKey).toList();
    }

    static EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        WirePipeline.install(channel.pipeline(), MAX, new ChannelInboundHandlerAdapter());
        return channel;
    }

    /** A channel that hands decoded messages to the test instead of a logic handler. */
    static EmbeddedChannel decoding() {
        return decoding(MAX);
    }

    static EmbeddedChannel decoding(int maxFrameBytes) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(new FrameDecoder(maxFrameBytes), new FrameEncoder(
                maxFrameBytes, Frames.DEFAULT_COMPRESS_FROM_BYTES), WireCodec.INSTANCE,
                CloseOnError.INSTANCE);
        return channel;
    }

    static ByteBuf encode(WireMessage message) {
        EmbeddedChannel out = decoding(Frames.DEFAULT_MAX_FRAME_BYTES);
        out.writeOutbound(message);
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf part; (part = out.readOutbound()) != null; ) {
            all.writeBytes(part);
            part.release();
        }
        return all;
    }

    static QuorumCert certify(MicroBlock block, int... voters) {
        long signers = 0;
        List<byte[]> signatures = new ArrayList<>();
        for (int voter : voters) {
            signers |= 1L << voter;
            signatures.add(Vote.sign(MEMBERS.get(voter), voter, block).signature());
        }
        return new QuorumCert(block.chunkId(), block.epoch(), block.view(), block.height(),
                block.hash(), signers, signatures);
    }

    static WireMessage proposal(int wopBytes, Random random) {
        byte[] data = new byte[wopBytes];
        random.nextBytes(data);
        ChunkOp op = ChunkOp.WopBatch.sign(OWNER, 3, 9, Hash.ZERO, List.of(new Wop(1, 1, 0, data)));
        MicroBlock block = MicroBlock.propose(MEMBERS.get(1), 1, QuorumCert.genesis(9, 0), 1, 0,
                Hash.ZERO, List.of(op.digest()));
        return new WireMessage.Micro(new MicroMessage.Proposal(9, block, List.of(op)));
    }

    @Test
    void everyKindOfMessageCrossesTheWireUnchanged() {
        byte[] nonce = new byte[WireMessage.NONCE_BYTES];
        new Random(1).nextBytes(nonce);
        List<WireMessage> messages = List.of(new WireMessage.Challenge(nonce),
                WireMessage.Hello.answer(OWNER, nonce), proposal(300, new Random(2)),
                new WireMessage.ReadRequest(7, 9, 0, 4096, 100, 3, false),
                new WireMessage.Failure(7, "not_owner: the reader does not own slice 2"));
        EmbeddedChannel in = decoding();
        for (WireMessage message : messages) {
            in.writeInbound(encode(message));
            WireMessage back = in.readInbound();
            assertThat(back.toBytes()).isEqualTo(message.toBytes());
        }
        assertThat(in.isOpen()).isTrue();
    }

    @Test
    void aFrameArrivingByteByByteDecodesOnceComplete() {
        ByteBuf wire = encode(proposal(2000, new Random(3)));
        EmbeddedChannel in = decoding();
        while (wire.readableBytes() > 1) {
            in.writeInbound(wire.readRetainedSlice(1));
            assertThat((Object) in.readInbound()).isNull();
        }
        in.writeInbound(wire.readRetainedSlice(1));
        assertThat((Object) in.readInbound()).isInstanceOf(WireMessage.Micro.class);
    }

    @Test
    void largeFramesFilledPieceByPieceAmongSmallOnesDecodeWholeAndInOrder() {
        Random random = new Random(17);
        byte[] zeros = new byte[32 << 10];
        List<WireMessage> sent = new ArrayList<>();
        ByteBuf wire = Unpooled.buffer();
        for (int i = 0; i < 12; i++) {
            WireMessage message = switch (i % 3) {
                case 0 -> proposal(3 * FrameDecoder.DIRECT_FILL_BYTES, random);
                case 1 -> new WireMessage.Micro(new MicroMessage.StateResponse(9,
                        MicroBlock.propose(MEMBERS.get(0), 0, QuorumCert.genesis(9, 0), 0, 0,
                                Hash.ZERO, List.of()), QuorumCert.genesis(9, 0), Hash.ZERO,
                        new byte[0], i, List.of(zeros, zeros, zeros, zeros)));
                default -> new WireMessage.ReadRequest(i, 9, 0, 0, 10, 0, false);
            };
            sent.add(message);
            wire.writeBytes(encode(message));
        }
        EmbeddedChannel in = decoding();
        List<byte[]> received = new ArrayList<>();
        while (wire.isReadable()) {
            int piece = Math.min(wire.readableBytes(), 1 + random.nextInt(40_000));
            in.writeInbound(wire.readRetainedSlice(piece));
            for (WireMessage m; (m = in.readInbound()) != null; ) {
                received.add(m.toBytes());
            }
        }
        assertThat(received).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertThat(received.get(i)).isEqualTo(sent.get(i).toBytes());
        }
        assertThat(in.isOpen()).isTrue();
    }

    @Test
    void aFrameLargerThanItsFirstAllocationGrowsAsItArrivesAndDecodesWhole() {
        Random random = new Random(23);
        List<ChunkOp> ops = new ArrayList<>();
        for (int op = 0; op < 2; op++) {
            List<Wop> wops = new ArrayList<>();
            for (int w = 0; w < 5; w++) {
                byte[] data = new byte[Wop.MAX_DATA_BYTES];
                random.nextBytes(data);
                wops.add(new Wop(op, w + 1, 0, data));
            }
            ops.add(ChunkOp.WopBatch.sign(OWNER, 3, 9, Hash.ZERO, wops));
        }
        MicroBlock block = MicroBlock.propose(MEMBERS.get(1), 1, QuorumCert.genesis(9, 0), 1, 0,
                Hash.ZERO, ops.stream().map(ChunkOp::digest).toList());
        WireMessage large = new WireMessage.Micro(new MicroMessage.Proposal(9, block, ops));
        ByteBuf wire = encode(large);
        assertThat(wire.readableBytes()).isGreaterThan(FrameDecoder.FILL_AHEAD_BYTES);
        wire.writeBytes(encode(new WireMessage.ReadRequest(5, 9, 0, 0, 10, 0, false)));
        EmbeddedChannel in = decoding(Frames.DEFAULT_MAX_FRAME_BYTES);
        List<WireMessage> received = new ArrayList<>();
        while (wire.isReadable()) {
            in.writeInbound(wire.readRetainedSlice(Math.min(wire.readableBytes(), 300_000)));
            for (WireMessage m; (m = in.readInbound()) != null; ) {
                received.add(m);
            }
        }
        assertThat(received).hasSize(2);
        assertThat(received.get(0).toBytes()).isEqualTo(large.toBytes());
        assertThat(((WireMessage.ReadRequest) received.get(1)).requestId()).isEqualTo(5);
    }

    @Test
    void oneFrameWrittenToSeveralConnectionsReachesEachWholeAndIsFreedAfterTheLast() {
        WireMessage message = proposal(256 << 10, new Random(8));
        ByteBuf frame = FrameEncoder.frame(ByteBufAllocator.DEFAULT, FrameBody.of(message), MAX,
                Frames.DEFAULT_COMPRESS_FROM_BYTES);
        List<EmbeddedChannel> links = List.of(channel(), channel(), channel());
        for (EmbeddedChannel link : links) {
            link.writeOutbound(frame.retainedDuplicate());
        }
        frame.release();
        for (EmbeddedChannel link : links) {
            ByteBuf sent = link.readOutbound();
            EmbeddedChannel in = decoding();
            in.writeInbound(sent);
            assertThat(((WireMessage) in.readInbound()).toBytes()).isEqualTo(message.toBytes());
        }
        assertThat(frame.refCnt()).isZero();
    }

    @Test
    void anAcceptorTakesNoMoreThanAHelloFromAStrangerAndEverythingOnceItTrustsThePeer() {
        byte[] nonce = new byte[WireMessage.NONCE_BYTES];
        WireMessage hello = WireMessage.Hello.answer(OWNER, nonce);
        ByteBuf helloThenProposal = encode(hello);
        helloThenProposal.writeBytes(encode(proposal(4096, new Random(5))));

        EmbeddedChannel stranger = accepting();
        stranger.writeInbound(helloThenProposal.retainedDuplicate());
        assertThat(((WireMessage) stranger.readInbound()).toBytes()).isEqualTo(hello.toBytes());
        assertThat((Object) stranger.readInbound()).isNull();
        assertThat(stranger.isOpen()).isFalse();

        EmbeddedChannel known = accepting();
        known.pipeline().addBefore("close-on-error", "trusting",
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(io.netty.channel.ChannelHandlerContext ctx,
                                            Object message) {
                        if (message instanceof WireMessage.Hello) {
                            FrameDecoder.trust(ctx.pipeline());
                        }
                        ctx.fireChannelRead(message);
                    }
                });
        known.writeInbound(helloThenProposal);
        assertThat((Object) known.readInbound()).isInstanceOf(WireMessage.Hello.class);
        assertThat((Object) known.readInbound()).isInstanceOf(WireMessage.Micro.class);
        assertThat(known.isOpen()).isTrue();
    }

    private static EmbeddedChannel accepting() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(new FrameDecoder(MAX, true), WireCodec.INSTANCE);
        channel.pipeline().addLast("close-on-error", CloseOnError.INSTANCE);
        return channel;
    }

    @Test
    void aMessageWrittenInPartsIsExactlyItsEncoding() {
        Random random = new Random(31);
        ChunkOp open = ChunkOp.OpenSession.sign(OWNER, 3, 9, Hash.ZERO);
        byte[] data = new byte[5000];
        random.nextBytes(data);
        ChunkOp batch = ChunkOp.WopBatch.sign(OWNER, 3, 9, Hash.ZERO,
                List.of(new Wop(1, 1, 0, data), new Wop(1, 2, 8192, data)));
        MicroBlock block = MicroBlock.propose(MEMBERS.get(1), 1, QuorumCert.genesis(9, 0), 1, 0,
                Hash.ZERO, List.of(open.digest(), batch.digest()));
        List<WireMessage> messages = List.of(
                new WireMessage.Micro(new MicroMessage.Proposal(9, block, List.of(open, batch))),
                new WireMessage.Micro(new MicroMessage.Submit(9, batch)),
                new WireMessage.Micro(new MicroMessage.Submit(9, open)),
                new WireMessage.ReadRequest(7, 9, 0, 4096, 100, 3, false));
        for (WireMessage message : messages) {
            FrameBody body = FrameBody.of(message);
            assertThat(body.toArray()).as("%s", message).isEqualTo(message.toBytes());
            assertThat(body.length()).isEqualTo(message.toBytes().length);
        }
    }

    @Test
    void pipelinedFramesInOneBufferAllDecodeInOrder() {
        ByteBuf wire = Unpooled.buffer();
        for (int id = 0; id < 20; id++) {
            wire.writeBytes(encode(new WireMessage.ReadRequest(id, 9, 0, 0, 10, 0, false)));
        }
        EmbeddedChannel in = decoding();
        in.writeInbound(wire);
        for (int id = 0; id < 20; id++) {
            assertThat(((WireMessage.ReadRequest) in.readInbound()).requestId()).isEqualTo(id);
        }
    }

    @Test
    void largeCompressibleBodiesTravelCompressedAndRandomOnesDoNot() {
        byte[] zeros = new byte[32 << 10];
        WireMessage compressible = new WireMessage.Micro(new MicroMessage.StateResponse(9,
                MicroBlock.propose(MEMBERS.get(0), 0, QuorumCert.genesis(9, 0), 0, 0, Hash.ZERO,
                        List.of()), QuorumCert.genesis(9, 0), Hash.ZERO, new byte[0], 0,
                List.of(zeros, zeros, zeros, zeros, zeros, zeros, zeros, zeros)));
        ByteBuf packed = encode(compressible);
        assertThat(packed.getByte(3) & Frames.FLAG_LZ4).isEqualTo(Frames.FLAG_LZ4);
        assertThat(packed.readableBytes()).isLessThan(8 * zeros.length / 10);
        EmbeddedChannel in = decoding();
        in.writeInbound(packed);
        assertThat(((WireMessage) in.readInbound()).toBytes()).isEqualTo(compressible.toBytes());

        ByteBuf random = encode(proposal(256 << 10, new Random(4)));
        assertThat(random.getByte(3) & Frames.FLAG_LZ4).isZero();
    }

    @Test
    void anOversizedFrameClosesTheConnectionBeforeItsBodyArrives() {
        ByteBuf header = Unpooled.buffer().writeShort(Frames.MAGIC).writeByte(Frames.VERSION)
                .writeByte(0).writeInt(MAX + 1);
        EmbeddedChannel in = channel();
        in.writeInbound(header);
        assertThat(in.isOpen()).isFalse();
    }

    @Test
    void foreignMagicUnknownVersionOrFlagsCloseTheConnection() {
        for (int[] header : new int[][] {{0x4745, 1, 0}, {Frames.MAGIC, 2, 0},
                {Frames.MAGIC, 1, 4}}) {
            EmbeddedChannel in = channel();
            in.writeInbound(Unpooled.buffer().writeShort(header[0]).writeByte(header[1])
                    .writeByte(header[2]).writeInt(1).writeByte(1));
            assertThat(in.isOpen()).as(Arrays.toString(header)).isFalse();
        }
    }

    @Test
    void aCompressedFrameThatLiesAboutItsSizeClosesTheConnection() {
        ByteBuf packed = encode(new WireMessage.Micro(new MicroMessage.StateResponse(9,
                MicroBlock.propose(MEMBERS.get(0), 0, QuorumCert.genesis(9, 0), 0, 0, Hash.ZERO,
                        List.of()), QuorumCert.genesis(9, 0), Hash.ZERO, new byte[0], 0,
                List.of(new byte[60_000], new byte[60_000]))));
        packed.setInt(Frames.HEADER_BYTES, packed.getInt(Frames.HEADER_BYTES) + 1);
        EmbeddedChannel in = channel();
        in.writeInbound(packed);
        assertThat(in.isOpen()).isFalse();
    }

    @Test
    void aWellFramedBodyThatIsNoMessageClosesTheConnection() {
        EmbeddedChannel in = channel();
        in.writeInbound(Unpooled.buffer().writeShort(Frames.MAGIC).writeByte(Frames.VERSION)
                .writeByte(0).writeInt(3).writeByte(99).writeShort(0));
        assertThat(in.isOpen()).isFalse();
    }

    @Test
    void aHelloProvesTheKeyForThisNonceOnly() {
        byte[] nonce = new byte[WireMessage.NONCE_BYTES];
        WireMessage.Hello hello = WireMessage.Hello.answer(OWNER, nonce);
        assertThat(hello.verify(nonce)).isTrue();
        byte[] other = nonce.clone();
        other[0] = 1;
        assertThat(hello.verify(other)).isFalse();
        assertThat(new WireMessage.Hello(MEMBERS.get(0).publicKey(), hello.signature())
                .verify(nonce)).isFalse();
    }

    @Test
    void aReadReplyVerifiesOnlyAgainstACertifiedRootAtTheRequestedHeight() {
        int pageSize = 16;
        PageTree tree = new PageTree(8, pageSize);
        byte[][] pages = new byte[8][pageSize];
        Random random = new Random(5);
        for (int page = 0; page < 8; page++) {
            random.nextBytes(pages[page]);
            tree.update(page, pages[page]);
        }
        Hash metaHash = Hash.sha256("meta".getBytes());
        MicroBlock anchor = MicroBlock.propose(MEMBERS.get(2), 2, QuorumCert.genesis(9, 0), 0, 5,
                ChunkRoot.of(tree.root(), metaHash), List.of());
        WireMessage.ReadRequest request = new WireMessage.ReadRequest(1, 9, 0, 20, 30, 5, false);
        byte[] expected = new byte[30];
        for (int i = 0; i < 30; i++) {
            expected[i] = pages[(20 + i) / pageSize][(20 + i) % pageSize];
        }
        WireMessage.ReadReply good = reply(anchor, certify(anchor, 0, 1, 2), tree, metaHash,
                pages, pages[1]);
        assertThat(good.verifiedBytes(request, memberKeys(), 3, pageSize)).isEqualTo(expected);

        byte[] tampered = pages[2].clone();
        tampered[0] ^= 1;
        assertThat(reply(anchor, certify(anchor, 0, 1, 2), tree, metaHash, pages, tampered)
                .verifiedBytes(request, memberKeys(), 3, pageSize)).isNull();
        assertThat(reply(anchor, certify(anchor, 0, 1), tree, metaHash, pages, pages[1])
                .verifiedBytes(request, memberKeys(), 3, pageSize)).isNull();
        assertThat(good.verifiedBytes(new WireMessage.ReadRequest(1, 9, 0, 20, 30, 6, false),
                memberKeys(), 3, pageSize)).as("older than the reader's last write").isNull();
        assertThat(good.verifiedBytes(new WireMessage.ReadRequest(1, 9, 1, 20, 30, 5, false),
                memberKeys(), 3, pageSize)).as("certified in another epoch").isNull();
        assertThat(reply(anchor, certify(anchor, 0, 1, 2), tree, Hash.ZERO, pages, pages[1])
                .verifiedBytes(request, memberKeys(), 3, pageSize)).isNull();
    }

    @Test
    void aMetadataReadVerifiesTheMetadataAgainstTheCertifiedRoot() {
        PageTree tree = new PageTree(8, 16);
        byte[] meta = "slice seqs and the session".getBytes();
        MicroBlock anchor = MicroBlock.propose(MEMBERS.get(2), 2, QuorumCert.genesis(9, 0), 0, 5,
                ChunkRoot.of(tree.root(), Hash.sha256(meta)), List.of());
        WireMessage.ReadRequest request = new WireMessage.ReadRequest(1, 9, 0, 16, 0, 5, true);
        assertThat(metaReply(anchor, tree, meta, meta).verifiedBytes(request, memberKeys(), 3, 16))
                .isEmpty();
        byte[] forged = meta.clone();
        forged[0] ^= 1;
        assertThat(metaReply(anchor, tree, meta, forged).verifiedBytes(request, memberKeys(), 3,
                16)).as("metadata that is not what the quorum certified").isNull();
        assertThat(metaReply(anchor, tree, meta, new byte[0]).verifiedBytes(request, memberKeys(),
                3, 16)).as("metadata asked for and left out").isNull();
    }

    private static WireMessage.ReadReply metaReply(MicroBlock anchor, PageTree tree,
                                                   byte[] certified, byte[] served) {
        return roundTrip(new WireMessage.ReadReply(1, 9, anchor, certify(anchor, 0, 1, 2),
                tree.root(), Hash.sha256(certified), served, 1, List.of(), List.of()));
    }

    /** Pages 1..3 of the tree, with the third replaced by {@code third}. */
    private static WireMessage.ReadReply reply(MicroBlock anchor, QuorumCert qc, PageTree tree,
                                               Hash metaHash, byte[][] pages, byte[] second) {
        List<byte[]> served = List.of(pages[1], second == pages[1] ? pages[2] : second, pages[3]);
        return roundTrip(new WireMessage.ReadReply(1, 9, anchor, qc, tree.root(), metaHash,
                new byte[0], 1, served, List.of(tree.proof(1), tree.proof(2), tree.proof(3))));
    }

    private static WireMessage.ReadReply roundTrip(WireMessage.ReadReply reply) {
        EmbeddedChannel in = decoding();
        in.writeInbound(encode(reply));
        return in.readInbound();
    }
}
