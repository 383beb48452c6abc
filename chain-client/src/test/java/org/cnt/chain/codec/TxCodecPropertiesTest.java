package org.cnt.chain.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.cnt.chain.crypto.Address;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.Tx;
import org.cnt.chain.types.TxPayload;

class TxCodecPropertiesTest {
    private static final Hash CHAIN = Hash.sha256("test-chain".getBytes());
    private static final KeyPair KEY = KeyPair.fromLabel("codec");

    @Provide
    Arbitrary<TxPayload> payloads() {
        Arbitrary<Long> amounts = Arbitraries.longs().between(0, Long.MAX_VALUE);
        Arbitrary<String> names = Arbitraries.strings().ofMaxLength(20);
        Arbitrary<Integer> days = Arbitraries.integers().between(0, 1000);
        Arbitrary<Address> addresses = Arbitraries.strings().map(s -> KeyPair.fromLabel(s).address());
        return Arbitraries.oneOf(
                Combinators.combine(addresses, amounts).as(TxPayload.Transfer::new),
                Combinators.combine(names, amounts).as(TxPayload.RegisterFarmer::new),
                Combinators.combine(names, amounts).as(TxPayload.UpdateFarmer::new),
                Arbitraries.just(new TxPayload.ExitFarmer()),
                Combinators.combine(names, amounts, days, amounts).as(TxPayload.RentVolume::new),
                Combinators.combine(amounts, days, amounts).as(TxPayload.ExtendVolume::new),
                Combinators.combine(amounts, amounts, amounts).as(TxPayload.ResizeVolume::new),
                amounts.map(TxPayload.Donate::new),
                Combinators.combine(amounts, amounts, Arbitraries.of("bad_data", "unavailable"))
                        .as(TxPayload.ServiceReport::new),
                Combinators.combine(amounts, amounts, Arbitraries.integers().between(0, 64),
                        Arbitraries.integers().between(0, 43)).as(TxCodecPropertiesTest::proof));
    }

    /** A space proof naming {@code named} members, signed by {@code signed} (valid or not). */
    private static TxPayload proof(long chunk, long round, int named, int signed) {
        long[] agreeing = new long[named];
        for (int i = 0; i < named; i++) {
            agreeing[i] = 3L * i + 1;
        }
        org.cnt.chain.proof.ProofStatement statement = new org.cnt.chain.proof.ProofStatement(
                chunk, round, Hash.sha256(Long.toString(round).getBytes()), agreeing);
        java.util.Map<Long, byte[]> signatures = new java.util.TreeMap<>();
        for (int i = 0; i < signed; i++) {
            signatures.put((long) i, KeyPair.fromLabel("m" + i).sign(statement.signingBytes()));
        }
        return new TxPayload.SpaceProof(new org.cnt.chain.proof.ProofCertificate(statement,
                signatures));
    }

    @Property(tries = 300)
    void everyTransactionRoundTripsToTheSameBytes(@ForAll("payloads") TxPayload payload,
                                                  @ForAll @IntRange(min = 0) int nonce)
            throws CodecException {
        Tx tx = Tx.sign(CHAIN, KEY, nonce, payload);
        byte[] bytes = tx.toBytes();
        Tx decoded = Tx.decode(bytes);
        assertThat(decoded).isEqualTo(tx);
        assertThat(decoded.toBytes()).isEqualTo(bytes);
        assertThat(decoded.signatureValid()).isTrue();
    }

    @Property(tries = 200)
    void everyPayloadRoundTripsThroughTheApisJson(@ForAll("payloads") TxPayload payload)
            throws Exception {
        var mapper = org.cnt.chain.api.Json.mapper();
        TxPayload back = mapper.readValue(mapper.writeValueAsString(payload), TxPayload.class);
        assertThat(back).isEqualTo(payload);
    }

    @Property(tries = 200)
    void everyTruncationIsRefused(@ForAll("payloads") TxPayload payload,
                                  @ForAll @IntRange(min = 0, max = 10_000) int cut) {
        byte[] bytes = Tx.sign(CHAIN, KEY, 1, payload).toBytes();
        byte[] truncated = Arrays.copyOf(bytes, cut % bytes.length);
        assertThatThrownBy(() -> Tx.decode(truncated)).isInstanceOf(CodecException.class);
    }

    @Property(tries = 200)
    void trailingBytesAreRefused(@ForAll("payloads") TxPayload payload,
                                 @ForAll @IntRange(min = 1, max = 16) int extra) {
        byte[] bytes = Tx.sign(CHAIN, KEY, 1, payload).toBytes();
        byte[] longer = Arrays.copyOf(bytes, bytes.length + extra);
        assertThatThrownBy(() -> Tx.decode(longer)).isInstanceOf(CodecException.class)
                .hasMessageContaining("trailing");
    }

    @Property(tries = 300)
    void aFlippedBitNeverYieldsAValidSignatureOverOtherContent(
            @ForAll("payloads") TxPayload payload, @ForAll @IntRange(min = 0) int bit) {
        Tx tx = Tx.sign(CHAIN, KEY, 7, payload);
        byte[] bytes = tx.toBytes();
        bytes[(bit / 8) % bytes.length] ^= (byte) (1 << (bit % 8));
        try {
            Tx mutated = Tx.decode(bytes);
            assertThat(mutated.signatureValid()).isFalse();
        } catch (CodecException | IllegalArgumentException refused) {
            // Refusing the bytes outright is the other acceptable answer.
        }
    }

    @Property(tries = 100)
    void randomBytesNeverEscapeAsUncheckedErrors(@ForAll byte[] junk) {
        try {
            Tx.decode(junk);
        } catch (CodecException expected) {
            // The only acceptable failure.
        }
    }

    @Property(tries = 50)
    void oversizedInputIsRefusedBeforeDecoding(@ForAll @IntRange(min = 1, max = 4096) int extra) {
        byte[] huge = new byte[Tx.MAX_SIZE_BYTES + extra];
        assertThatThrownBy(() -> Tx.decode(huge)).hasMessageContaining("too large");
    }
}
