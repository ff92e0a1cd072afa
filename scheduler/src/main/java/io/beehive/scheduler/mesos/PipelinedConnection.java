package io.beehive.scheduler.mesos;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 connection to the master on which calls are pipelined: each request is written as soon as it is made,
 * without waiting for the answers to those before it, and the answers, which an HTTP/1.1 server sends in request
 * order (libprocess, the master's HTTP server, does), are matched to the requests first in, first out.
 *
 * <p>Why: a scheduler acknowledges every status update, two or more per task, and with one request in flight per
 * connection each acknowledgement cost a full round trip and four thread wake-ups (the client's and the server's
 * selector and worker threads); a launch of 10,000 tasks sent 20,000 of them. Pipelined, a batch of queued requests
 * leaves in one write and the server reads it in one read.
 *
 * <p>Used for ACKNOWLEDGE only (see {@link CallLanes}): any failure (connection refused, reset, closed, an answer that
 * does not parse, no answer within the request timeout) fails every request written on the connection and not yet
 * answered, and the next request opens a new connection. Failing is safe for an acknowledgement: the agent resends
 * an unacknowledged update, and the scheduler acknowledges it again. Plain HTTP only; an {@code https} master uses
 * the Jetty client's lanes.
 *
 * <p>Threads: one writer per connection object (started with the first request), one reader per socket.
 */
final class PipelinedConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelinedConnection.class);
    /** Requests written in one go at most. */
    private static final int MAX_BATCH = 512;
    private static final int MAX_LINE = 8 * 1024;
    private static final int BUFFER = 64 * 1024;

    /** The master's answer to one request; {@code body} cut to the first few KiB. */
    record Answer(int status, String body) {
    }

    private record Outgoing(byte[] request, CompletableFuture<Answer> answer) {
    }

    private final String name;
    private final InetSocketAddress address;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int maxBodyChars;
    private final BlockingQueue<Outgoing> queue;
    private final Object lock = new Object();
    // Guarded by lock.
    private Link link;
    private Thread writer;
    private boolean closed;

    /**
     * @param queueLimit requests that may wait to be written; one more fails at once
     */
    PipelinedConnection(String name, InetSocketAddress address, Duration connectTimeout, Duration requestTimeout,
                        int queueLimit, int maxBodyChars) {
        this.name = name;
        this.address = address;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.maxBodyChars = maxBodyChars;
        this.queue = new ArrayBlockingQueue<>(queueLimit);
    }

    /**
     * A whole POST request as the Jetty client sends a call: Host, Content-Type, Accept, Mesos-Stream-Id, the
     * authorization if any, Content-Length.
     */
    static byte[] post(URI endpoint, String contentType, String streamId, String authorization, byte[] body) {
        StringBuilder head = new StringBuilder(256)
                .append("POST ").append(endpoint.getRawPath()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(endpoint.getRawAuthority()).append("\r\n")
                .append("Content-Type: ").append(contentType).append("\r\n")
                .append("Accept: ").append(contentType).append("\r\n");
        if (streamId != null) {
            head.append(MesosClient.STREAM_ID_HEADER).append(": ").append(streamId).append("\r\n");
        }
        if (authorization != null) {
            head.append("Authorization: ").append(authorization).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }

    /** Queues one whole request (head and body); the future completes on this connection's reader thread. */
    CompletableFuture<Answer> send(byte[] request) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        synchronized (lock) {
            if (closed) {
                answer.completeExceptionally(new IOException(name + " is closed"));
                return answer;
            }
            if (!queue.offer(new Outgoing(request, answer))) {
                answer.completeExceptionally(new IOException(name + ": " + queue.size() + " requests already waiting"));
                return answer;
            }
            if (writer == null) {
                writer = new Thread(this::writeLoop, name + "-writer");
                writer.setDaemon(true);
                writer.start();
            }
        }
        return answer;
    }

    /**
     * Never blocks, and completes no future on the caller's thread (it may hold locks of its own): the writer fails
     * what is queued once interrupted, the reader what is unanswered once its socket is closed.
     */
    @Override
    public void close() {
        Link current;
        Thread writing;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            current = link;
            link = null;
            writing = writer;
        }
        if (writing != null) {
            writing.interrupt();
        }
        if (current != null) {
            closeQuietly(current.socket);
        }
    }

    private void writeLoop() {
        List<Outgoing> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch, MAX_BATCH - 1);
                Link target;
                try {
                    target = connected();
                } catch (IOException e) {
                    LOG.debug("{}: cannot connect to {}: {}", name, address, e.toString());
                    batch.forEach(o -> o.answer.completeExceptionally(e));
                    batch.clear();
                    continue;
                }
                if (target == null) {
                    batch.forEach(o -> o.answer.completeExceptionally(new IOException(name + " closed")));
                    return;
                }
                target.write(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            // close() ran.
        } finally {
            IOException reason = new IOException(name + " closed");
            batch.forEach(o -> o.answer.completeExceptionally(reason));
            failQueued(reason);
        }
    }

    /** The open link, connecting first if there is none; null once closed. On the writer thread. */
    private Link connected() throws IOException {
        synchronized (lock) {
            if (closed) {
                return null;
            }
            if (link != null && !link.failed) {
                return link;
            }
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, Math.toIntExact(connectTimeout.toMillis()));
            socket.setSoTimeout(Math.toIntExact(requestTimeout.toMillis()));
        } catch (IOException e) {
            closeQuietly(socket);
            throw e;
        }
        Link fresh = new Link(socket);
        synchronized (lock) {
            if (closed) {
                closeQuietly(socket);
                return null;
            }
            link = fresh;
        }
        fresh.startReading();
        return fresh;
    }

    private void failQueued(IOException reason) {
        List<Outgoing> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(o -> o.answer.completeExceptionally(reason));
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is best effort.
        }
    }

    /** One socket and the requests written on it that wait for their answers, oldest first. */
    private final class Link {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final ArrayDeque<CompletableFuture<Answer>> unanswered = new ArrayDeque<>();
        private volatile boolean failed;

        Link(Socket socket) throws IOException {
            this.socket = socket;
            this.out = new BufferedOutputStream(socket.getOutputStream(), BUFFER);
            this.in = new BufferedInputStream(socket.getInputStream(), BUFFER);
        }

        void startReading() {
            Thread reader = new Thread(this::readLoop, name + "-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** On the writer thread. A request is registered before it is written, so its answer always finds it. */
        void write(List<Outgoing> batch) {
            synchronized (this) {
                if (failed) {
                    IOException e = new IOException(name + ": connection failed");
                    batch.forEach(o -> o.answer.completeExceptionally(e));
                    return;
                }
                batch.forEach(o -> unanswered.add(o.answer));
            }
            try {
                for (Outgoing o : batch) {
                    out.write(o.request);
                }
                out.flush();
            } catch (IOException e) {
                fail(e);
            }
        }

        private void readLoop() {
            try {
                while (!failed) {
                    Answer answer;
                    try {
                        answer = readAnswer();
                    } catch (SocketTimeoutException idle) {
                        synchronized (this) {
                            if (unanswered.isEmpty()) {
                                continue; // nothing asked, nothing late
                            }
                        }
                        throw new IOException("no answer within " + requestTimeout.toMillis() + " ms");
                    }
                    if (answer == null) {
                        throw new EOFException("closed by the master");
                    }
                    CompletableFuture<Answer> oldest;
                    synchronized (this) {
                        oldest = unanswered.poll();
                    }
                    if (oldest == null) {
                        throw new IOException("an answer (" + answer.status() + ") to no request");
                    }
                    oldest.complete(answer);
                }
            } catch (IOException e) {
                fail(e);
            }
        }

        /** One whole answer; null at a clean end of stream before it. Skips interim (1xx) answers. */
        private Answer readAnswer() throws IOException {
            while (true) {
                String statusLine = readLine(true);
                if (statusLine == null) {
                    return null;
                }
                int status = parseStatus(statusLine);
                long length = -1;
                boolean chunked = false;
                for (String line = readLine(false); !line.isEmpty(); line = readLine(false)) {
                    int colon = line.indexOf(':');
                    if (colon <= 0) {
                        throw new IOException("malformed header line: " + line);
                    }
                    String field = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = line.substring(colon + 1).trim();
                    if (field.equals("content-length")) {
                        length = parseLength(value);
                    } else if (field.equals("transfer-encoding")) {
                        chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    }
                }
                if (status < 200) {
                    continue;
                }
                String body;
                if (chunked) {
                    body = readChunked();
                } else if (length >= 0) {
                    body = readBody(length);
                } else if (status == 204 || status == 304) {
                    body = "";
                } else {
                    throw new IOException("answer " + status + " without a length: cannot find the next one");
                }
                return new Answer(status, body);
            }
        }

        private String readChunked() throws IOException {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine(false);
                int semicolon = sizeLine.indexOf(';');
                long size;
                try {
                    size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("malformed chunk size: " + sizeLine);
                }
                if (size == 0) {
                    for (String trailer = readLine(false); !trailer.isEmpty(); trailer = readLine(false)) {
                        // Trailers carry nothing we use.
                    }
                    return kept.toString(StandardCharsets.UTF_8);
                }
                keep(kept, size);
                if (!readLine(false).isEmpty()) {
                    throw new IOException("chunk longer than its size");
                }
            }
        }

        private String readBody(long length) throws IOException {
            if (length == 0) {
                return "";
            }
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            keep(kept, length);
            return kept.toString(StandardCharsets.UTF_8);
        }

        /** Reads {@code length} bytes, keeping the first {@code maxBodyChars}. */
        private void keep(ByteArrayOutputStream kept, long length) throws IOException {
            long left = length;
            byte[] buffer = new byte[(int) Math.min(left, 4096)];
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(left, buffer.length));
                if (n < 0) {
                    throw new EOFException("answer body cut short");
                }
                int room = maxBodyChars - kept.size();
                if (room > 0) {
                    kept.write(buffer, 0, Math.min(room, n));
                }
                left -= n;
            }
        }

        /** A line without its CRLF; null at the end of stream if {@code endAllowed} and nothing was read. */
        private String readLine(boolean endAllowed) throws IOException {
            StringBuilder line = new StringBuilder(64);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    if (endAllowed && line.isEmpty()) {
                        return null;
                    }
                    throw new EOFException("answer cut short");
                }
                if (b == '\n') {
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') {
                        line.setLength(end - 1);
                    }
                    return line.toString();
                }
                if (line.length() >= MAX_LINE) {
                    throw new IOException("answer line longer than " + MAX_LINE + " bytes");
                }
                line.append((char) b);
            }
        }

        void fail(IOException reason) {
            List<CompletableFuture<Answer>> dropped;
            synchronized (this) {
                if (failed) {
                    return;
                }
                failed = true;
                dropped = new ArrayList<>(unanswered);
                unanswered.clear();
            }
            closeQuietly(socket);
            if (!dropped.isEmpty()) {
                LOG.info("{}: connection to {} failed with {} requests unanswered: {}", name, address, dropped.size(),
                        reason.getMessage());
            }
            dropped.forEach(f -> f.completeExceptionally(reason));
        }
    }

    private static int parseStatus(String statusLine) throws IOException {
        // "HTTP/1.1 202 Accepted"
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        try {
            return Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
    }

    private static long parseLength(String value) throws IOException {
        try {
            long length = Long.parseLong(value);
            if (length < 0) {
                throw new NumberFormatException();
            }
            return length;
        } catch (NumberFormatException e) {
            throw new IOException("malformed Content-Length: " + value);
        }
    }
}
