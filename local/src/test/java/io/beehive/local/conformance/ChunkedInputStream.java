package io.beehive.local.conformance;

import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes HTTP/1.1 chunked transfer coding. Written here (not taken from a client library) so the suite sees
 * exactly the bytes the master produced, and can assert that record boundaries do not depend on chunk boundaries.
 */
final class ChunkedInputStream extends InputStream {

    private final InputStream in;
    private long remainingInChunk;
    private boolean finished;
    /**
     * The CRLF that ends a chunk is read lazily, just before the next size line: servers (Jetty) send it together
     * with the next chunk, so reading it eagerly would hold an already complete record back until the next event.
     */
    private boolean chunkEndPending;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (finished) {
            return -1;
        }
        if (remainingInChunk == 0) {
            if (chunkEndPending) {
                String crlf = HttpWire.readLine(in);
                if (crlf == null || !crlf.isEmpty()) {
                    throw new IOException("chunk not followed by CRLF");
                }
                chunkEndPending = false;
            }
            String sizeLine = HttpWire.readLine(in);
            if (sizeLine == null) {
                throw new IOException("stream ended inside chunked body");
            }
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim();
            remainingInChunk = Long.parseLong(hex, 16);
            if (remainingInChunk == 0) {
                // trailers until the empty line
                String trailer;
                do {
                    trailer = HttpWire.readLine(in);
                } while (trailer != null && !trailer.isEmpty());
                finished = true;
                return -1;
            }
        }
        int n = in.read(buf, off, (int) Math.min(len, remainingInChunk));
        if (n < 0) {
            throw new IOException("stream ended inside a chunk");
        }
        remainingInChunk -= n;
        chunkEndPending = remainingInChunk == 0;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
