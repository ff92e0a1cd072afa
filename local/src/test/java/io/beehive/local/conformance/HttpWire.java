package io.beehive.local.conformance;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket: the suite must see what the master puts on the wire (header names, the exact
 * Content-Type, chunking), and must be able to send what a well-behaved client library would refuse to send.
 * Every read has a socket timeout, so a master that hangs fails the test instead of blocking it.
 */
final class HttpWire {

    static final int READ_TIMEOUT_MS = 30_000;

    private HttpWire() {}

    /** Sends one request on a fresh connection ({@code Connection: close}) and reads the whole response. */
    static HttpMessage exchange(URI base, String method, String path, Map<String, String> headers, byte[] body) {
        try (Socket socket = connect(base)) {
            writeRequest(socket.getOutputStream(), base, method, path, headers, body, true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Head head = readHead(in);
            byte[] responseBody = readBody(in, head, method);
            return new HttpMessage(head.statusLine, head.status, head.headers, responseBody);
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " on " + base + " failed: " + e, e);
        }
    }

    static HttpMessage post(URI base, String contentType, byte[] body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        headers.putAll(extraHeaders);
        return exchange(base, "POST", "/api/v1/scheduler", headers, body);
    }

    static Socket connect(URI base) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), READ_TIMEOUT_MS);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        return socket;
    }

    static void writeRequest(OutputStream out, URI base, String method, String path, Map<String, String> headers,
                             byte[] body, boolean close) throws IOException {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        if (close) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body);
        }
        out.flush();
    }

    record Head(String statusLine, int status, List<Map.Entry<String, String>> headers) {
        String header(String name) {
            return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }
    }

    static Head readHead(InputStream in) throws IOException {
        String statusLine = readLine(in);
        if (statusLine == null) {
            throw new IOException("connection closed before a status line");
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.add(new AbstractMap.SimpleImmutableEntry<>(line.substring(0, colon).trim(),
                    line.substring(colon + 1).trim()));
        }
        return new Head(statusLine, status, headers);
    }

    static byte[] readBody(InputStream in, Head head, String method) throws IOException {
        if (method.equals("HEAD") || head.status == 204 || head.status == 304 || head.status / 100 == 1) {
            return new byte[0];
        }
        String te = head.header("Transfer-Encoding");
        if (te != null && te.equalsIgnoreCase("chunked")) {
            return new ChunkedInputStream(in).readAllBytes();
        }
        String cl = head.header("Content-Length");
        if (cl != null) {
            byte[] body = in.readNBytes(Integer.parseInt(cl));
            if (body.length != Integer.parseInt(cl)) {
                throw new IOException("body shorter than Content-Length " + cl);
            }
            return body;
        }
        return in.readAllBytes();
    }

    /** Reads one CRLF- (or LF-) terminated line as ISO-8859-1; null at end of stream. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
