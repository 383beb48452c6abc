package org.cnt.node.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.types.Block;
import org.cnt.chain.types.Tx;
import org.cnt.node.NodeException;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The node's RocksDB: blocks by height, indexes by block hash and transaction id, the state
 * entries of the head, and the head pointer. A block and its state changes are one synced
 * write batch, so a node killed at any instant restarts at exactly its last committed block.
 */
final class ChainStore implements AutoCloseable {
    private static final byte[] HEAD = "head".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GENESIS = "genesis".getBytes(StandardCharsets.US_ASCII);

    static {
        RocksDB.loadLibrary();
    }

    private final DBOptions options;
    private final ColumnFamilyOptions cfOptions;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle blocks;
    private final ColumnFamilyHandle blockHashes;
    private final ColumnFamilyHandle txIndex;
    private final ColumnFamilyHandle state;
    private final WriteOptions synced = new WriteOptions().setSync(true);

    ChainStore(Path dir) throws NodeException {
        options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        cfOptions = new ColumnFamilyOptions();
        List<ColumnFamilyDescriptor> families = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
                new ColumnFamilyDescriptor(bytes("blocks"), cfOptions),
                new ColumnFamilyDescriptor(bytes("block-hashes"), cfOptions),
                new ColumnFamilyDescriptor(bytes("tx-index"), cfOptions),
                new ColumnFamilyDescriptor(bytes("state"), cfOptions));
        try {
            db = RocksDB.open(options, dir.toString(), families, handles);
        } catch (RocksDBException e) {
            options.close();
            cfOptions.close();
            throw new NodeException("cannot open the chain database in " + dir + ": "
                    + e.getMessage() + " (is another node using this data directory?)", e);
        }
        meta = handles.get(0);
        blocks = handles.get(1);
        blockHashes = handles.get(2);
        txIndex = handles.get(3);
        state = handles.get(4);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] height(long height) {
        return new CanonicalWriter(8).u64(height).toByteArray();
    }

    private static long height(byte[] bytes) throws CodecException {
        CanonicalReader in = CanonicalReader.of(bytes);
        long value = in.u64("height");
        in.finish("height");
        return value;
    }

    byte[] genesisJson() throws NodeException {
        return get(meta, GENESIS);
    }

    Long headHeight() throws NodeException {
        byte[] raw = get(meta, HEAD);
        return raw == null ? null : decodeHeight(raw);
    }

    Block block(long height) throws NodeException {
        byte[] raw = get(blocks, height(height));
        if (raw == null) {
            return null;
        }
        try {
            return Block.decode(raw);
        } catch (CodecException e) {
            throw new NodeException("stored block " + height + " is corrupt: " + e.getMessage(), e);
        }
    }

    Long heightOf(Hash blockHash) throws NodeException {
        byte[] raw = get(blockHashes, blockHash.toBytes());
        return raw == null ? null : decodeHeight(raw);
    }

    Long txHeight(Hash txId) throws NodeException {
        byte[] raw = get(txIndex, txId.toBytes());
        return raw == null ? null : decodeHeight(raw);
    }

    private long decodeHeight(byte[] raw) throws NodeException {
        try {
            return height(raw);
        } catch (CodecException e) {
            throw new NodeException("corrupt height in the chain database: " + e.getMessage(), e);
        }
    }

    /** The state entries of the head block, in key order. */
    List<Map.Entry<byte[], byte[]>> stateEntries() {
        List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>();
        try (RocksIterator it = db.newIterator(state)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                entries.add(new AbstractMap.SimpleImmutableEntry<>(it.key(), it.value()));
            }
        }
        return entries;
    }

    /** Writes a block, its indexes, its state changes and the new head in one synced batch. */
    void commit(Block block, Map<byte[], byte[]> stateWrites, byte[] genesisJson)
            throws NodeException {
        try (WriteBatch batch = new WriteBatch()) {
            byte[] key = height(block.height());
            batch.put(blocks, key, block.toBytes());
            batch.put(blockHashes, block.hash().toBytes(), key);
            for (Tx tx : block.txs()) {
                batch.put(txIndex, tx.id().toBytes(), key);
            }
            for (Map.Entry<byte[], byte[]> write : stateWrites.entrySet()) {
                if (write.getValue() == null) {
                    batch.delete(state, write.getKey());
                } else {
                    batch.put(state, write.getKey(), write.getValue());
                }
            }
            if (genesisJson != null) {
                batch.put(meta, GENESIS, genesisJson);
            }
            batch.put(meta, HEAD, key);
            db.write(synced, batch);
        } catch (RocksDBException e) {
            throw new NodeException("cannot write block " + block.height() + ": " + e.getMessage(),
                    e);
        }
    }

    private byte[] get(ColumnFamilyHandle family, byte[] key) throws NodeException {
        try {
            return db.get(family, key);
        } catch (RocksDBException e) {
            throw new NodeException("chain database read failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        for (ColumnFamilyHandle handle : handles) {
            handle.close();
        }
        db.close();
        synced.close();
        options.close();
        cfOptions.close();
    }
}
