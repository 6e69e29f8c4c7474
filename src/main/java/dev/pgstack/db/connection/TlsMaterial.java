package dev.pgstack.db.connection;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

import dev.pgstack.db.config.TlsSettings;

/**
 * The certificates and keys of {@link TlsSettings}, read from PEM files as libpq reads them, for both clients
 * (pgjdbc through {@link LibpqSslFactory}, the reactive client through {@link ConnectionPolicy}). The JVM reads
 * neither a PEM key nor a trust store from a bare PEM file by itself. A root certificate file replaced on disk is
 * read again at the next handshake, so a rotated CA needs no restart.
 */
public final class TlsMaterial {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

    private TlsMaterial() {
    }

    /** An SSL context for pgjdbc: trust as the settings say, and the client certificate if there is one. */
    public static SSLContext context(TlsSettings tls) throws GeneralSecurityException, IOException {
        SSLContext context = SSLContext.getInstance("TLS");
        X509KeyManager keys = tls.cert().isPresent() ? keyManager(tls.cert().get(), tls.key().orElseThrow()) : null;
        context.init(keys == null ? null : new KeyManager[] { keys },
                new TrustManager[] { trustManager(tls) }, null);
        return context;
    }

    /**
     * Checks the server's chain against the root certificate (or the JVM's store) when the settings ask for it,
     * otherwise trusts any certificate (libpq's allow, prefer and require: encrypted, not authenticated). Host
     * names are checked by the client (pgjdbc for verify-full, Vert.x with its HTTPS algorithm), never here.
     */
    public static X509ExtendedTrustManager trustManager(TlsSettings tls) throws GeneralSecurityException, IOException {
        if (!tls.verifiesChain()) {
            return TRUST_ANY;
        }
        if (tls.systemTrust() || tls.rootCert().isEmpty()) {
            return fromStore(null);
        }
        return new ReloadingTrust(Path.of(tls.rootCert().get()));
    }

    public static X509KeyManager keyManager(String certFile, String keyFile) throws GeneralSecurityException,
            IOException {
        List<X509Certificate> chain = certificates(Path.of(certFile));
        if (chain.isEmpty()) {
            throw new CertificateException("sslcert " + certFile + " holds no certificate");
        }
        PrivateKey key = privateKey(Path.of(keyFile));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] none = new char[0];
        store.setKeyEntry("client", key, none, chain.toArray(new Certificate[0]));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, none);
        return (X509KeyManager) factory.getKeyManagers()[0];
    }

    static List<X509Certificate> certificates(Path file) throws GeneralSecurityException, IOException {
        byte[] pem = read(file, "certificate");
        return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).stream()
                .map(X509Certificate.class::cast).toList();
    }

    /** PKCS#8 ("PRIVATE KEY", as openssl writes by default) or PKCS#1 RSA ("RSA PRIVATE KEY"), unencrypted. */
    static PrivateKey privateKey(Path file) throws GeneralSecurityException, IOException {
        String text = new String(read(file, "key"), StandardCharsets.US_ASCII);
        Matcher m = PEM.matcher(text);
        if (!m.find()) {
            throw new GeneralSecurityException("sslkey " + file + " is not a PEM key");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        byte[] pkcs8 = switch (m.group(1)) {
            case "PRIVATE KEY" -> der;
            case "RSA PRIVATE KEY" -> rsaPkcs8(der);
            default -> throw new GeneralSecurityException("sslkey " + file + " is a " + m.group(1).toLowerCase()
                    + "; pgstack reads unencrypted PKCS#8 or RSA keys (openssl pkcs8 -topk8 -nocrypt converts)");
        };
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException tryNext) {
                // not this algorithm
            }
        }
        throw new GeneralSecurityException("sslkey " + file + ": unsupported key algorithm");
    }

    /** PKCS#1 RSAPrivateKey wrapped as PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, the key as octets). */
    private static byte[] rsaPkcs8(byte[] pkcs1) {
        byte[] algorithm = { 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
                0x01, 0x01, 0x05, 0x00 };
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] { 0x02, 0x01, 0x00 });
        body.writeBytes(algorithm);
        body.writeBytes(der(0x04, pkcs1));
        return der(0x30, body.toByteArray());
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i) & 0xff);
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] read(Path file, String what) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException("cannot read the " + what + " file " + file + " (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    static X509ExtendedTrustManager fromStore(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    static X509ExtendedTrustManager fromPem(Path file) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int i = 0;
        for (X509Certificate certificate : certificates(file)) {
            store.setCertificateEntry("root-" + i++, certificate);
        }
        if (i == 0) {
            throw new CertificateException("sslrootcert " + file + " holds no certificate");
        }
        return fromStore(store);
    }

    /** A trust manager of a client: it never judges clients' certificates. */
    private abstract static class ServerTrust extends X509ExtendedTrustManager {
        @Override
        public final void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public final void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public final void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client side only");
        }
    }

    /** The roots of a PEM file, read again when the file changes. */
    private static final class ReloadingTrust extends ServerTrust {
        private final Path file;
        private volatile X509ExtendedTrustManager current;
        private volatile long stamp;

        ReloadingTrust(Path file) throws GeneralSecurityException, IOException {
            this.file = file;
            this.stamp = stamp();
            this.current = fromPem(file);
        }

        private long stamp() {
            try {
                return Files.getLastModifiedTime(file).toMillis() ^ Files.size(file);
            } catch (IOException e) {
                return -1;
            }
        }

        private X509ExtendedTrustManager now() throws CertificateException {
            long seen = stamp();
            if (seen != stamp && seen != -1) {
                try {
                    current = fromPem(file);
                    stamp = seen;
                } catch (GeneralSecurityException | IOException e) {
                    throw new CertificateException("sslrootcert " + file + " cannot be read: " + e.getMessage());
                }
            }
            return current;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            now().checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            now().checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            now().checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return current.getAcceptedIssuers();
        }
    }

    /** libpq's allow, prefer and require without a root certificate: any certificate, encryption only. */
    private static final X509ExtendedTrustManager TRUST_ANY = new ServerTrust() {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    /** Whether a trust manager checks nothing (for the reactive client, which says so with trustAll instead). */
    static boolean trustsAny(X509TrustManager manager) {
        return manager == TRUST_ANY;
    }
}
