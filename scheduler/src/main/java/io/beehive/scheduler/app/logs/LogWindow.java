package io.beehive.scheduler.app.logs;

/**
 * The answer of {@code GET /v1/tasks/{id}/logs/{file}}: {@code length} bytes of the file from byte {@code offset}
 * as UTF-8 text, and the file's {@code size}. The next window starts at {@code offset + length}.
 */
public record LogWindow(String taskId, String file, long offset, long length, long size, String data) {
}
