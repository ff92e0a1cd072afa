package io.beehive.local.agent;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The agent's files API over its attached sandboxes, as Mesos 1.11 {@code src/files/files.cpp} does it: a path is
 * resolved by its longest attached prefix (a sandbox's own directory, or its virtual
 * {@code /frameworks/<fw>/executors/<eid>/runs/latest}), the rest is appended and canonicalised, and the result
 * must stay inside that sandbox: {@code ../} or a symbolic link out of it is refused.
 */
public final class SandboxFiles {

    /** files.cpp caps one read at 16 pages. */
    public static final int MAX_READ = 16 * 4096;

    /** Why a path cannot be served: {@code INVALID} is a 400 with {@code message}, {@code NOT_FOUND} a 404. */
    public static final class FilesError extends Exception {
        public enum Type { INVALID, NOT_FOUND }

        private final Type type;

        FilesError(Type type, String message) {
            super(message, null, false, false);
            this.type = type;
        }

        public Type type() {
            return type;
        }
    }

    /** What {@code /files/read} answers: the bytes read and the file's size. */
    public record Chunk(byte[] data, long size) {}

    /** One entry of {@code /files/browse}. */
    public record Entry(String path, long nlink, long size, long mtimeSeconds, String mode, String uid, String gid) {}

    private final Map<String, Path> attached;

    /** {@code attached}: virtual path → sandbox directory ({@link LocalAgent#attachedSandboxes()}). */
    public SandboxFiles(Map<String, Path> attached) {
        this.attached = attached;
    }

    /** The real file a (virtual) path names. */
    public Path resolve(String path) throws FilesError {
        String trimmed = path;
        while (trimmed.length() > 1 && trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        String prefix = trimmed;
        String suffix = "";
        while (!prefix.isEmpty()) {
            Path root = attached.get(prefix);
            if (root != null) {
                return inside(root, suffix);
            }
            int slash = prefix.lastIndexOf('/');
            if (slash < 0) {
                break;
            }
            String last = prefix.substring(slash + 1);
            suffix = suffix.isEmpty() ? last : last + "/" + suffix;
            prefix = prefix.substring(0, slash);
        }
        throw new FilesError(FilesError.Type.NOT_FOUND, "");
    }

    private static Path inside(Path root, String suffix) throws FilesError {
        Path realRoot;
        Path real;
        try {
            realRoot = root.toRealPath();
            real = (suffix.isEmpty() ? root : root.resolve(suffix)).toRealPath();
        } catch (NoSuchFileException e) {
            throw new FilesError(FilesError.Type.NOT_FOUND, "");
        } catch (IOException e) {
            throw new FilesError(FilesError.Type.INVALID,
                "Failed to determine canonical path of '" + root.resolve(suffix) + "': " + e.getMessage() + ".\n");
        }
        if (!real.startsWith(realRoot)) {
            throw new FilesError(FilesError.Type.INVALID, "'" + root.resolve(suffix) + "' is inaccessible.\n");
        }
        return real;
    }

    /** {@code length} empty: to the end of the file; both capped at {@link #MAX_READ}. */
    public Chunk read(String path, long offset, Optional<Long> length) throws FilesError {
        Path file = resolve(path);
        if (Files.isDirectory(file)) {
            throw new FilesError(FilesError.Type.INVALID, "Cannot read a directory.\n");
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long size = in.length();
            if (offset >= size) {
                return new Chunk(new byte[0], size);
            }
            long want = Math.min(length.orElse(size - offset), MAX_READ);
            byte[] buffer = new byte[(int) Math.min(want, size - offset)];
            in.seek(offset);
            int read = in.read(buffer);
            if (read < buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.max(read, 0));
            }
            return new Chunk(buffer, size);
        } catch (IOException e) {
            throw new FilesError(FilesError.Type.NOT_FOUND, "");
        }
    }

    /** The entries of a directory, sorted by name; a file lists as nothing (files.cpp's ls fails on it). */
    public List<Entry> browse(String path) throws FilesError {
        Path dir = resolve(path);
        String shown = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        TreeMap<String, Entry> sorted = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var children = Files.list(dir)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                String name = child.getFileName().toString();
                entry(child, shown + "/" + name).ifPresent(e -> sorted.put(name, e));
            }
        } catch (IOException e) {
            return List.of();
        }
        return new ArrayList<>(sorted.values());
    }

    /** stat(2) of one entry; empty when it vanished meanwhile (files.cpp skips those). */
    private static Optional<Entry> entry(Path file, String shownPath) {
        try {
            Map<String, Object> unix = Files.readAttributes(file, "unix:mode,nlink,size,lastModifiedTime");
            UserPrincipal owner = (UserPrincipal) Files.getAttribute(file, "posix:owner");
            GroupPrincipal group = (GroupPrincipal) Files.getAttribute(file, "posix:group");
            long mtime = ((java.nio.file.attribute.FileTime) unix.get("lastModifiedTime")).toMillis() / 1000;
            return Optional.of(new Entry(shownPath, ((Number) unix.get("nlink")).longValue(),
                ((Number) unix.get("size")).longValue(), mtime, mode((Integer) unix.get("mode")), owner.getName(),
                group.getName()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** ls-style mode string, e.g. {@code drwxr-xr-x}. */
    static String mode(int mode) {
        char type = switch (mode & 0170000) {
            case 0040000 -> 'd';
            case 0120000 -> 'l';
            case 0020000 -> 'c';
            case 0060000 -> 'b';
            case 0010000 -> 'p';
            case 0140000 -> 's';
            default -> '-';
        };
        StringBuilder s = new StringBuilder().append(type);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            s.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        return s.toString();
    }
}
