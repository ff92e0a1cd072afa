package io.beehive.scheduler.app.api;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * 413 for bodies over {@code api.maxRequestBodySize}: at once when Content-Length says so, otherwise (chunked
 * bodies) as soon as the reader passes the limit. Runs first, so nothing buffers or forwards an oversized body.
 */
@PreMatching
@Priority(100)
public final class BodySizeLimitFilter implements ContainerRequestFilter {
    private final long maxBytes;

    public BodySizeLimitFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String declared = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw ApiProblem.of(400, "Content-Length is not a number: " + declared);
            }
            if (length > maxBytes) {
                throw tooLarge();
            }
        }
        request.setEntityStream(new Limited(request.getEntityStream(), maxBytes));
    }

    private ApiProblem tooLarge() {
        return ApiProblem.of(413, "request body larger than the limit of " + maxBytes + " bytes");
    }

    private final class Limited extends FilterInputStream {
        private long left;

        Limited(InputStream in, long max) {
            super(in);
            this.left = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --left < 0) {
                throw tooLarge();
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                left -= n;
                if (left < 0) {
                    throw tooLarge();
                }
            }
            return n;
        }
    }
}
