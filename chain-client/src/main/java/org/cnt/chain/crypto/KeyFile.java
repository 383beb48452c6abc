package org.cnt.chain.crypto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * A key on disk as JSON. With a passphrase the seed is sealed with AES-256-GCM under a key
 * stretched by scrypt, and the address is the AAD, so a file edited to show another address
 * does not open. Files are written atomically with owner-only permissions.
 */
public final class KeyFile {
    static final int FORMAT_VERSION = 1;
    static final String PLAIN = "none";
    static final String SEALED = "scrypt-aes256gcm";
    /** Interactive-strength scrypt (about 32 MiB and 0.1 s); tests may pass a cheaper cost. */
    public static final int DEFAULT_SCRYPT_LOG2_N = 15;
    private static final int SALT_BYTES = 16;
    private static final int NONCE_BYTES = 12;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** The JSON body; public for Jackson only. */
    public record Body(int version, String address, String publicKey, String encryption,
                       Integer scryptLog2N, Integer scryptR, Integer scryptP, String salt,
                       String nonce, String seed) {
    }

    private KeyFile() {
    }

    /** Writes a new key file; refuses to overwrite one that exists, since that would lose a key. */
    public static void write(Path file, KeyPair key, char[] passphrase, int scryptLog2N)
            throws KeyFileException {
        Body body = passphrase == null || passphrase.length == 0
                ? new Body(FORMAT_VERSION, key.address().toString(), key.publicKey().hex(), PLAIN,
                        null, null, null, null, null, HexFormat.of().formatHex(key.seed()))
                : seal(key, passphrase, scryptLog2N);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString());
            }
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".key", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(temp, JSON.writeValueAsBytes(body));
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file);
            }
        } catch (FileAlreadyExistsException e) {
            throw new KeyFileException("key file already exists, not overwriting: " + file);
        } catch (IOException e) {
            throw new KeyFileException("cannot write key file " + file + ": " + e.getMessage(), e);
        }
    }

    public static boolean isEncrypted(Path file) throws KeyFileException {
        return !PLAIN.equals(readBody(file).encryption());
    }

    public static Address address(Path file) throws KeyFileException {
        return parseAddress(file, readBody(file));
    }

    public static KeyPair read(Path file, char[] passphrase) throws KeyFileException {
        Body body = readBody(file);
        byte[] seed = switch (body.encryption()) {
            case PLAIN -> hex(file, "seed", body.seed());
            case SEALED -> unseal(file, body, passphrase);
            case null, default -> throw new KeyFileException(file + ": unknown encryption '"
                    + body.encryption() + "'");
        };
        if (seed.length != KeyPair.SEED_SIZE_BYTES) {
            throw new KeyFileException(file + ": seed must be 32 bytes, got " + seed.length);
        }
        KeyPair key = KeyPair.fromSeed(seed);
        if (!key.address().equals(parseAddress(file, body))) {
            throw new KeyFileException(file + ": the seed does not match the address "
                    + body.address() + " (file corrupted?)");
        }
        return key;
    }

    private static Body readBody(Path file) throws KeyFileException {
        Body body;
        try {
            body = JSON.readValue(Files.readAllBytes(file), Body.class);
        } catch (NoSuchFileException e) {
            throw new KeyFileException("no key file at " + file);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new KeyFileException("key file " + file + " is not valid JSON: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new KeyFileException("cannot read key file " + file + ": " + e.getMessage(), e);
        }
        if (body.version() != FORMAT_VERSION) {
            throw new KeyFileException(file + ": unsupported key file version " + body.version());
        }
        if (body.address() == null || body.encryption() == null) {
            throw new KeyFileException(file + ": missing address or encryption field");
        }
        return body;
    }

    private static Address parseAddress(Path file, Body body) throws KeyFileException {
        try {
            return Address.parse(body.address());
        } catch (IllegalArgumentException e) {
            throw new KeyFileException(file + ": " + e.getMessage());
        }
    }

    private static Body seal(KeyPair key, char[] passphrase, int log2N) throws KeyFileException {
        SecureRandom random = new SecureRandom();
        byte[] salt = new byte[SALT_BYTES];
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        int r = 8;
        int p = 1;
        byte[] aad = key.address().toString().getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = aesGcm(Cipher.ENCRYPT_MODE, stretch(passphrase, salt, log2N, r, p), nonce,
                aad, key.seed());
        HexFormat hex = HexFormat.of();
        return new Body(FORMAT_VERSION, key.address().toString(), key.publicKey().hex(), SEALED,
                log2N, r, p, hex.formatHex(salt), hex.formatHex(nonce), hex.formatHex(sealed));
    }

    private static byte[] unseal(Path file, Body body, char[] passphrase) throws KeyFileException {
        if (passphrase == null || passphrase.length == 0) {
            throw new KeyFileException.PassphraseException("key file " + file
                    + " is encrypted: give its passphrase");
        }
        if (body.scryptLog2N() == null || body.scryptR() == null || body.scryptP() == null
                || body.scryptLog2N() < 10 || body.scryptLog2N() > 22) {
            throw new KeyFileException(file + ": missing or unreasonable scrypt parameters");
        }
        byte[] key = stretch(passphrase, hex(file, "salt", body.salt()), body.scryptLog2N(),
                body.scryptR(), body.scryptP());
        byte[] aad = body.address().getBytes(StandardCharsets.US_ASCII);
        try {
            return aesGcm(Cipher.DECRYPT_MODE, key, hex(file, "nonce", body.nonce()), aad,
                    hex(file, "seed", body.seed()));
        } catch (KeyFileException e) {
            if (e.getCause() instanceof AEADBadTagException) {
                throw new KeyFileException.PassphraseException("wrong passphrase for key file "
                        + file);
            }
            throw e;
        }
    }

    private static byte[] stretch(char[] passphrase, byte[] salt, int log2N, int r, int p) {
        java.nio.ByteBuffer encoded = StandardCharsets.UTF_8.encode(
                java.nio.CharBuffer.wrap(passphrase));
        byte[] utf8 = new byte[encoded.remaining()];
        encoded.get(utf8);
        return SCrypt.generate(utf8, salt, 1 << log2N, r, p, 32);
    }

    private static byte[] aesGcm(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input)
            throws KeyFileException {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new KeyFileException("key file cipher failed: " + e.getMessage(), e);
        }
    }

    private static byte[] hex(Path file, String field, String value) throws KeyFileException {
        try {
            return HexFormat.of().parseHex(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new KeyFileException(file + ": field " + field + " is not hex");
        }
    }
}
