package io.beehive.local.agent;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * An HTTP health check: {@code GET scheme://127.0.0.1:port/path}, following redirects; a final status of 200–399
 * passes. The real executor runs {@code curl -s -S -L -k}, so an https certificate is not verified here either.
 * No proxy, whatever the JVM's settings: the task is on this host.
 */
final class HttpProbe implements TaskProbe {

    private final String url;

    HttpProbe(String scheme, String host, int port, String path) {
        this.url = scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + path;
    }

    @Override
    public String kind() {
        return "HTTP";
    }

    String url() {
        return url;
    }

    @Override
    public Outcome run(Duration timeout) {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) new URL(url).openConnection(Proxy.NO_PROXY);
            if (connection instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(TrustAll.CONTEXT.getSocketFactory());
                https.setHostnameVerifier((host, session) -> true);
            }
            connection.setInstanceFollowRedirects(true);
            connection.setUseCaches(false);
            if (timeout != null) {
                int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
                connection.setConnectTimeout(millis);
                connection.setReadTimeout(millis);
            }
            int status = connection.getResponseCode();
            if (System.nanoTime() > deadline) {
                return Outcome.fail(null, "curl has not returned after " + StoutDuration.format(timeout) + "; aborting");
            }
            if (status >= 200 && status < 400) {
                return Outcome.pass(String.valueOf(status));
            }
            return Outcome.fail(String.valueOf(status), "Unexpected HTTP response code: " + status);
        } catch (IOException | RuntimeException e) {
            return Outcome.fail(null, "curl returned: " + e);
        } finally {
            if (connection != null) {
                // closes the socket instead of keeping it alive for a next check (a single-threaded server
                // holding our idle connection would not answer anyone else)
                connection.disconnect();
            }
        }
    }

    /** curl -k: any certificate, any host name. */
    private static final class TrustAll {
        static final SSLContext CONTEXT = context();

        private static SSLContext context() {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new X509TrustManager() {
                    @Override
                    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                    @Override
                    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                    @Override
                    public X509Certificate[] getAcceptedIssuers() {
                        return new X509Certificate[0];
                    }
                }}, new SecureRandom());
                return context;
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
