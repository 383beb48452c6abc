package org.cnt.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.cnt.fs.Attributes;
import org.cnt.fs.Filesystem;
import org.cnt.fs.FsError;
import org.cnt.fs.FsException;

/**
 * Random sequences of operations on the real filesystem and on {@link ModelFs}: every operation
 * must succeed on both or fail on both with the same errno, reads must return the same bytes,
 * and at the end (and after a remount) the two trees must be the same.
 */
class ModelPropertyTest {
    private static final String[] NAMES = {"a", "b", "c", "d"};

    /** One operation: its kind, two paths, a size and a seed for its bytes. */
    record Action(int kind, String path, String other, int size, long seed, int flags) {
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<String> path = Arbitraries.of(NAMES).list().ofMinSize(1).ofMaxSize(3)
                .map(parts -> "/" + String.join("/", parts));
        Arbitrary<Action> action = Combinators.combine(Arbitraries.integers().between(0, 99),
                path, path, Arbitraries.integers().between(0, 5000),
                Arbitraries.longs(), Arbitraries.of(0, 0, 0, Filesystem.RENAME_NOREPLACE,
                        Filesystem.RENAME_EXCHANGE)).as(Action::new);
        return action.list().ofMinSize(1).ofMaxSize(80);
    }

    @Property(tries = 200)
    void theFilesystemBehavesLikeTheModel(@ForAll("actions") List<Action> actions,
                                          @ForAll @IntRange(min = 0, max = 1) int large)
            throws Exception {
        TestFs real = new TestFs(large == 1 ? 4096 : 512, large == 1 ? 4096 : 16384);
        ModelFs model = new ModelFs();
        for (Action action : actions) {
            FsError expected = applyModel(model, action);
            FsError actual = applyReal(real, action, model);
            assertThat(actual).as("%s", action).isEqualTo(expected);
        }
        assertThat(realTree(real)).isEqualTo(model.snapshot());
        real.reopen();
        assertThat(realTree(real)).as("after a remount").isEqualTo(model.snapshot());
        real.fs.close();
        assertThat(Fsck.run(real.blocks, false).problems()).isEmpty();
    }

    private static byte[] bytes(Action action) {
        byte[] data = new byte[1 + action.size()];
        new Random(action.seed()).nextBytes(data);
        return data;
    }

    private static FsError applyModel(ModelFs model, Action a) {
        String parent = ModelFs.parentOf(a.path());
        String name = ModelFs.leafOf(a.path());
        int kind = a.kind();
        if (kind < 14) {
            return model.make(parent, name, false, null);
        } else if (kind < 26) {
            return model.make(parent, name, true, null);
        } else if (kind < 30) {
            return model.make(parent, name, false, "zzz" + a.size());
        } else if (kind < 40) {
            return model.remove(parent, name, false);
        } else if (kind < 48) {
            return model.remove(parent, name, true);
        } else if (kind < 62) {
            return model.rename(parent, name, ModelFs.parentOf(a.other()),
                    ModelFs.leafOf(a.other()), a.flags());
        } else if (kind < 68) {
            return model.link(a.path(), ModelFs.parentOf(a.other()),
                    ModelFs.leafOf(a.other()));
        }
        ModelFs.Found found = model.lookup(parent, name);
        if (found.error() != null) {
            return found.error();
        }
        ModelFs.Node node = found.node();
        boolean file = !node.directory && node.target == null;
        if (kind < 84) {
            if (!file) {
                return node.directory ? FsError.EISDIR : FsError.EINVAL;
            }
            ModelFs.write(node, a.seed() % 2 == 0 ? node.data.length : a.size() * 3L,
                    bytes(a));
        } else if (kind < 90) {
            if (!file) {
                return node.directory ? FsError.EISDIR : FsError.EINVAL;
            }
            ModelFs.truncate(node, a.size() * 2L);
        } else if (kind < 96) {
            if (node.target != null) {
                return FsError.EPERM;
            }
            node.xattrs.put("user.k" + a.size() % 3, bytes(a).length > 200
                    ? java.util.Arrays.copyOf(bytes(a), 50) : bytes(a));
        } else {
            if (node.target != null) {
                return FsError.EPERM;
            }
            if (node.xattrs.remove("user.k" + a.size() % 3) == null) {
                return FsError.ENODATA;
            }
        }
        return null;
    }

    private static FsError applyReal(TestFs t, Action a, ModelFs model) throws Exception {
        Filesystem fs = t.fs;
        String parent = ModelFs.parentOf(a.path());
        String name = ModelFs.leafOf(a.path());
        int kind = a.kind();
        try {
            long dir = fs.resolve(TestFs.OWNER, parent, true).inode();
            if (kind < 14) {
                fs.create(TestFs.OWNER, dir, name, 0644);
            } else if (kind < 26) {
                fs.mkdir(TestFs.OWNER, dir, name, 0755);
            } else if (kind < 30) {
                fs.symlink(TestFs.OWNER, dir, name, "zzz" + a.size());
            } else if (kind < 40) {
                fs.unlink(TestFs.OWNER, dir, name);
            } else if (kind < 48) {
                fs.rmdir(TestFs.OWNER, dir, name);
            } else if (kind < 62) {
                long to = fs.resolve(TestFs.OWNER, ModelFs.parentOf(a.other()), true).inode();
                fs.rename(TestFs.OWNER, dir, name, to, ModelFs.leafOf(a.other()), a.flags());
            } else if (kind < 68) {
                long source = fs.lookup(TestFs.OWNER, dir, name).inode();
                long to = fs.resolve(TestFs.OWNER, ModelFs.parentOf(a.other()), true).inode();
                fs.link(TestFs.OWNER, source, to, ModelFs.leafOf(a.other()));
            } else {
                Attributes node = fs.lookup(TestFs.OWNER, dir, name);
                if (kind < 84) {
                    long offset = a.seed() % 2 == 0 ? node.sizeBytes() : a.size() * 3L;
                    fs.write(node.inode(), offset, ByteBuffer.wrap(bytes(a)));
                    byte[] back = new byte[bytes(a).length];
                    fs.read(node.inode(), offset, ByteBuffer.wrap(back));
                    assertThat(back).isEqualTo(bytes(a));
                } else if (kind < 90) {
                    fs.truncate(TestFs.OWNER, node.inode(), a.size() * 2L);
                } else if (kind < 96) {
                    byte[] value = bytes(a).length > 200 ? java.util.Arrays.copyOf(bytes(a), 50)
                            : bytes(a);
                    fs.setxattr(TestFs.OWNER, node.inode(), "user.k" + a.size() % 3, value, 0);
                } else {
                    fs.removexattr(TestFs.OWNER, node.inode(), "user.k" + a.size() % 3);
                }
            }
        } catch (FsException e) {
            return e.error();
        }
        return null;
    }

    /** The real tree in the model's terms. */
    private static java.util.Map<String, String> realTree(TestFs t) throws Exception {
        java.util.Map<String, String> tree = new java.util.TreeMap<>();
        walk(t, Filesystem.ROOT, "", tree);
        return tree;
    }

    private static void walk(TestFs t, long dir, String path, java.util.Map<String, String> tree)
            throws Exception {
        for (var entry : t.fs.readdir(TestFs.OWNER, dir, 0, Integer.MAX_VALUE)) {
            if (entry.name().equals(".") || entry.name().equals("..")) {
                continue;
            }
            Attributes node = t.fs.getattr(entry.inode());
            String at = path + "/" + entry.name();
            StringBuilder what = new StringBuilder(node.isDirectory() ? "dir" : node.isSymlink()
                    ? "link " + t.fs.readlink(entry.inode()) : "file "
                    + java.util.Arrays.hashCode(t.readAll(entry.inode())) + " size "
                    + node.sizeBytes()).append(" links ").append(node.nlink());
            java.util.List<String> names = new java.util.ArrayList<>(t.fs.listxattr(
                    TestFs.OWNER, entry.inode()));
            java.util.Collections.sort(names);
            for (String xattr : names) {
                what.append(' ').append(xattr).append('=').append(java.util.Arrays.hashCode(
                        t.fs.getxattr(TestFs.OWNER, entry.inode(), xattr)));
            }
            tree.put(at, what.toString());
            if (node.isDirectory()) {
                walk(t, entry.inode(), at, tree);
            }
        }
    }
}
