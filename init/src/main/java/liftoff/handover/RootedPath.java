package liftoff.handover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves a path the way it will resolve after the root has changed: symlinks are followed
 * relative to {@code root}, an absolute link target starts again at {@code root}, and ".." never
 * climbs above it. /sbin/init is a symlink to /lib/systemd/systemd on most systems: checking it
 * against the current root would test the initramfs's file, not the new system's.
 */
final class RootedPath {
    private static final int MAX_SYMLINKS = 40;   // the kernel's own limit (ELOOP)

    private RootedPath() {}

    /** The real location under {@code root} that {@code path} names inside it. */
    static Path resolve(Path root, String path) throws HandoverException {
        Deque<String> todo = new ArrayDeque<>();
        push(todo, path);
        Deque<String> done = new ArrayDeque<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pop();
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                if (!done.isEmpty()) done.removeLast();
                continue;
            }
            Path candidate = join(root, done).resolve(part);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_SYMLINKS) throw new HandoverException(path + ": too many levels of symbolic links inside " + root);
                String target;
                try {
                    target = Files.readSymbolicLink(candidate).toString();
                } catch (IOException e) {
                    throw new HandoverException("cannot read the symlink " + candidate + ": " + e.getMessage());
                }
                if (target.startsWith("/")) done.clear();
                push(todo, target);
            } else {
                done.addLast(part);
                if (!todo.isEmpty() && !Files.isDirectory(candidate, LinkOption.NOFOLLOW_LINKS)) {
                    // A missing or non-directory component: nothing below it can exist, so the
                    // caller's existence check fails and names the whole path.
                    return candidate.resolve(String.join("/", todo));
                }
            }
        }
        return join(root, done);
    }

    /** Pushes the components of {@code path} so that the first one is popped first. */
    private static void push(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) todo.push(parts[i]);
    }

    private static Path join(Path root, Deque<String> parts) {
        Path p = root;
        for (String part : parts) p = p.resolve(part);
        return p;
    }
}
