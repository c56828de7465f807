package dev.otelcoljava.receiver.prometheus.scrape;

import dev.otelcoljava.receiver.prometheus.config.GlobalConfig;
import dev.otelcoljava.receiver.prometheus.config.HttpClientConfig;
import dev.otelcoljava.receiver.prometheus.config.ScrapeConfig;
import dev.otelcoljava.receiver.prometheus.otlp.ScrapeException;
import dev.otelcoljava.runtime.api.PlainHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import javax.net.ssl.SSLContext;

/**
 * The HTTP side of scraping for one scrape config, on the JDK {@link HttpClient}: one client per
 * job (connection reuse across its targets), Prometheus' request headers, auth re-read from files
 * at every scrape, and a body read that streams (gunzipping itself) into a reused buffer and
 * aborts as soon as the uncompressed size passes {@code body_size_limit}.
 *
 * <p>Why the JDK client rather than netty: it needs no extra jars or metaspace (the sidecar budget
 * is 96 MiB), does HTTP/2 over ALPN, proxies and TLS, and its blocking API runs well on virtual
 * threads, which keep the scrape loops cheap. It never decompresses by itself, so the size limit
 * applies to uncompressed bytes, gzip bombs included. Thread-safe.
 */
final class HttpScraper {
  /** What Prometheus 2.42 sends: OpenMetrics preferred, then text 0.0.4. */
  static final String ACCEPT_2_42 = "application/openmetrics-text;version=1.0.0,"
      + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  private static final Map<String, String> PROTOCOL_HEADERS = Map.of(
      "OpenMetricsText1.0.0", "application/openmetrics-text;version=1.0.0",
      "OpenMetricsText0.0.1", "application/openmetrics-text;version=0.0.1",
      "PrometheusText1.0.0", "text/plain;version=1.0.0",
      "PrometheusText0.0.4", "text/plain;version=0.0.4");

  private final ScrapeConfig cfg;
  private final HttpClient client;
  private final Executor executor;
  private HttpClient tlsClient; // guarded by this; == client when the job itself uses TLS
  private final String accept;
  private final String userAgent;

  HttpScraper(ScrapeConfig cfg, String userAgent, Executor executor) throws Exception {
    this.cfg = cfg;
    this.userAgent = userAgent;
    this.accept = accept(cfg.scrapeProtocols());
    this.executor = executor;
    HttpClientConfig h = cfg.http();
    // The reader keeps the DEFAULT instance when a job has no tls_config, so the identity test
    // settles the common case without the record's equals (bound at run time on its first call).
    HttpClientConfig.TlsConfig tls = h.tls();
    if ("https".equals(cfg.scheme())
        || tls != HttpClientConfig.TlsConfig.DEFAULT && !tls.equals(HttpClientConfig.TlsConfig.DEFAULT)) {
      this.client = build(TlsContexts.context(tls));
      this.tlsClient = client;
    } else {
      // Plain http: no CA bundle to load at start-up. A redirect to https gets a TLS client then.
      this.client = build(PlainHttp.sslContext());
    }
  }

  private HttpClient build(SSLContext ctx) {
    HttpClientConfig h = cfg.http();
    HttpClient.Builder b = HttpClient.newBuilder()
        .executor(executor)
        // redirects are followed in scrape(), as Go's client does: up to 10, within the scrape timeout
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(cfg.scrapeTimeout());
    if (ctx == PlainHttp.sslContext()) {
      PlainHttp.configure(b);
    } else {
      b.sslContext(ctx).sslParameters(TlsContexts.parameters(ctx, h.tls()));
    }
    if (!h.proxyUrl().isEmpty()) {
      b.proxy(new NoProxySelector(URI.create(h.proxyUrl()), h.noProxy()));
    }
    return b.build();
  }

  /** The client for an https URL: the job's own, or for a plain-http job one made on first use. */
  private HttpClient tlsClient() throws ScrapeException {
    synchronized (this) {
      if (tlsClient == null) {
        try {
          tlsClient = build(TlsContexts.context(cfg.http().tls()));
        } catch (Exception e) {
          throw new ScrapeException("connection", "cannot set up TLS for a redirect to https: " + e.getMessage());
        }
      }
      return tlsClient;
    }
  }

  /** The Accept header: Prometheus 2.42's for the default protocols, else built from scrape_protocols. */
  static String accept(List<String> protocols) {
    if (protocols.equals(GlobalConfig.DEFAULT_PROTOCOLS)) {
      return ACCEPT_2_42;
    }
    List<String> vals = new ArrayList<>();
    int weight = PROTOCOL_HEADERS.size() + 2;
    for (String p : protocols) {
      String v = PROTOCOL_HEADERS.get(p);
      if (v == null) {
        continue; // PrometheusProto: not spoken by this collector
      }
      vals.add(v + ";q=0." + weight--);
    }
    vals.add("*/*;q=0." + weight);
    return String.join(",", vals);
  }

  /**
   * The body of one scrape loop's current scrape. Its buffer is taken from {@link #POOL} for the
   * scrape ({@link #acquire}) and given back once the body is parsed ({@link #release}): kept per
   * loop between scrapes, the buffers held 20 x 16 MiB for peer-bench's cluster preset (20 targets
   * of 8.9 MB), while only the few scrapes running at the same time need one.
   */
  static final class Body {
    private static final byte[] NONE = new byte[0];
    byte[] buf = NONE;
    int len;
    long wireBytes;
    String contentType;

    /** Takes a buffer from the pool for this scrape (no-op if it holds one). */
    void acquire() {
      if (buf == NONE) {
        buf = POOL.take();
      }
    }

    /** Gives the buffer back to the pool; the body's bytes are invalid afterwards. */
    void release() {
      if (buf != NONE) {
        POOL.give(buf, len);
        buf = NONE;
      }
      len = 0;
    }
  }

  /** The body buffers of every scrape loop in the process. */
  static final BufferPool POOL = new BufferPool(Math.max(2, Runtime.getRuntime().availableProcessors()));

  /**
   * Growable body buffers shared by scrape loops: at most {@code max} are kept between scrapes (as
   * many as the scrapes that can parse at once); a buffer over 1 MiB and over four times the body
   * it held is dropped instead of kept (memory back after a one-off large body). Thread-safe.
   */
  static final class BufferPool {
    static final int INITIAL = 16 * 1024;
    private final int max;
    private final java.util.ArrayDeque<byte[]> free = new java.util.ArrayDeque<>();

    BufferPool(int max) {
      this.max = max;
    }

    synchronized byte[] take() {
      byte[] b = free.pollFirst();
      return b != null ? b : new byte[INITIAL];
    }

    synchronized void give(byte[] b, int used) {
      if (free.size() >= max || b.length > (1 << 20) && b.length > 4L * used) {
        return;
      }
      free.addFirst(b);
    }

    /** Buffers kept and their bytes (for tests). */
    synchronized long[] kept() {
      long bytes = 0;
      for (byte[] b : free) {
        bytes += b.length;
      }
      return new long[] {free.size(), bytes};
    }
  }

  /** Go's http.Client stops at the 11th redirect: {@code stopped after 10 redirects}. */
  static final int MAX_REDIRECTS = 10;

  /**
   * GETs the target into {@code out}; throws {@link ScrapeException} with a reason on any failure.
   * With {@code follow_redirects} (the default) a 301, 302, 303, 307 or 308 with a Location is
   * followed, up to {@link #MAX_REDIRECTS} hops, all within {@code timeout}; every hop carries the
   * same headers (Prometheus sets auth on its transport, so it goes to every hop).
   */
  void scrape(URI url, Duration timeout, Body out) throws ScrapeException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    URI current = url;
    for (int hops = 0; ; hops++) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new ScrapeException("timeout", "Get \"" + current + "\": context deadline exceeded");
      }
      HttpResponse<InputStream> resp = send(request(current, timeout, Duration.ofNanos(left)), current);
      URI next = cfg.http().followRedirects() ? redirectTarget(current, resp) : null;
      if (next == null) {
        read(resp, out);
        return;
      }
      closeQuietly(resp.body());
      if (hops >= MAX_REDIRECTS) {
        throw new ScrapeException("redirect", "Get \"" + next + "\": stopped after " + MAX_REDIRECTS + " redirects");
      }
      current = next;
    }
  }

  private static void closeQuietly(InputStream body) {
    try {
      body.close();
    } catch (IOException ignored) {
      // the next hop does not depend on this body
    }
  }

  /** The Location of a redirect response, resolved against the request URI; null when not a redirect. */
  static URI redirectTarget(URI requested, HttpResponse<?> resp) throws ScrapeException {
    int status = resp.statusCode();
    if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
      return null;
    }
    String location = resp.headers().firstValue("Location").orElse("");
    if (location.isEmpty()) {
      return null;
    }
    try {
      return requested.resolve(location);
    } catch (IllegalArgumentException e) {
      throw new ScrapeException("redirect", "Get \"" + requested + "\": failed to parse Location header \""
          + location + "\"");
    }
  }

  private HttpRequest request(URI url, Duration scrapeTimeout, Duration left) throws ScrapeException {
    HttpRequest.Builder rb = HttpRequest.newBuilder(url).GET().timeout(left)
        .header("Accept", accept)
        .header("Accept-Encoding", cfg.enableCompression() ? "gzip" : "identity")
        .header("User-Agent", userAgent)
        .header("X-Prometheus-Scrape-Timeout-Seconds", seconds(scrapeTimeout));
    if ("https".equals(url.getScheme()) && cfg.http().enableHttp2()) {
      rb.version(HttpClient.Version.HTTP_2);
    }
    String auth = authorization();
    if (auth != null) {
      rb.header("Authorization", auth);
    }
    return rb.build();
  }

  private HttpResponse<InputStream> send(HttpRequest request, URI url) throws ScrapeException, InterruptedException {
    try {
      HttpClient c = "https".equalsIgnoreCase(url.getScheme()) ? tlsClient() : client;
      return c.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException e) {
      throw new ScrapeException("timeout", "Get \"" + url + "\": context deadline exceeded (connect)");
    } catch (HttpTimeoutException e) {
      throw new ScrapeException("timeout", "Get \"" + url + "\": context deadline exceeded");
    } catch (IOException e) {
      throw new ScrapeException("connection", "Get \"" + url + "\": " + describe(e));
    }
  }

  private void read(HttpResponse<InputStream> resp, Body out) throws ScrapeException, InterruptedException {
    try (InputStream raw = resp.body()) {
      int status = resp.statusCode();
      if (status != 200) {
        if (status / 100 == 3) {
          throw new ScrapeException("redirect", "server returned HTTP status " + status
              + (cfg.http().followRedirects() ? "" : " (follow_redirects is false)"));
        }
        throw new ScrapeException("http_status", "server returned HTTP status " + status);
      }
      out.contentType = resp.headers().firstValue("Content-Type").orElse("");
      String encoding = resp.headers().firstValue("Content-Encoding").orElse("");
      CountingStream counted = new CountingStream(raw);
      InputStream in = counted;
      if (encoding.equalsIgnoreCase("gzip")) {
        in = new GZIPInputStream(counted, 8192);
      } else if (!encoding.isEmpty() && !encoding.equalsIgnoreCase("identity")) {
        throw new ScrapeException("http_status", "unsupported Content-Encoding \"" + encoding + "\"");
      }
      long declared = in == counted ? resp.headers().firstValueAsLong("Content-Length").orElse(-1) : -1;
      readLimited(in, out, cfg.bodySizeLimit(), declared);
      out.wireBytes = counted.count;
    } catch (ScrapeException e) {
      throw e;
    } catch (ZipException e) {
      throw new ScrapeException("gzip", "error reading gzip body: " + e.getMessage());
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
        throw new InterruptedException("scrape interrupted");
      }
      throw new ScrapeException("connection", "error reading body: " + describe(e));
    }
  }

  private static String describe(IOException e) {
    if (e instanceof java.net.ConnectException) {
      return "connect: connection refused";
    }
    String m = e.getMessage();
    return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
  }

  /** Reads into the buffer; stops with body_size_limit as soon as more than {@code limit} bytes arrive. */
  static void readLimited(InputStream in, Body out, long limit) throws IOException, ScrapeException {
    readLimited(in, out, limit, -1);
  }

  /**
   * The most a declared Content-Length sizes the buffer up front; a larger body grows it by doubling
   * as it arrives, so that a header alone never makes the scraper allocate more than this.
   */
  static final int MAX_PRESIZE = 64 << 20;

  /**
   * As {@link #readLimited(InputStream, Body, long)}, with the body's declared length ({@code
   * Content-Length} of an identity body, -1 if none): a buffer too small for it is replaced up front
   * by one of the declared length plus an eighth (later bodies of the same target, a little longer
   * or shorter, fit it too), instead of growing by doubling from the pool's 16 KiB. A 8.9 MB body
   * then takes a 10 MB buffer, not the 16 MiB the doubling ends at, and no 32 MB of discarded
   * halves on its first scrape. The declared length is only a hint: the stream is read to its end,
   * and the buffer grows as before if the body is longer.
   */
  static void readLimited(InputStream in, Body out, long limit, long declared) throws IOException, ScrapeException {
    int len = 0;
    byte[] buf = out.buf;
    if (declared > buf.length - 1 && declared <= MAX_PRESIZE && (limit <= 0 || declared <= limit)) {
      long cap = declared + declared / 8 + 1;
      if (limit > 0) {
        cap = Math.min(cap, limit + 1);
      }
      buf = new byte[(int) Math.max(cap, BufferPool.INITIAL)];
      out.buf = buf;
    }
    while (true) {
      if (len == buf.length) {
        long cap = Math.max(BufferPool.INITIAL, (long) buf.length * 2);
        if (limit > 0) {
          cap = Math.min(cap, limit + 1);
        }
        if (cap > Integer.MAX_VALUE - 16) {
          throw new ScrapeException("body_size_limit", "body size limit exceeded");
        }
        if (cap <= len) {
          throw new ScrapeException("body_size_limit", "body size limit exceeded");
        }
        buf = Arrays.copyOf(buf, (int) cap);
        out.buf = buf;
      }
      int n = in.read(buf, len, buf.length - len);
      if (n < 0) {
        break;
      }
      len += n;
      if (limit > 0 && len > limit) {
        out.len = 0;
        throw new ScrapeException("body_size_limit", "body size limit exceeded");
      }
    }
    out.len = len;
  }

  private String authorization() throws ScrapeException {
    HttpClientConfig h = cfg.http();
    if (h.basicAuth() != null) {
      String user = h.basicAuth().username();
      if (!h.basicAuth().usernameFile().isEmpty()) {
        user = readSecret(h.basicAuth().usernameFile(), "basic_auth username_file");
      }
      String pass = h.basicAuth().password();
      if (!h.basicAuth().passwordFile().isEmpty()) {
        pass = readSecret(h.basicAuth().passwordFile(), "basic_auth password_file");
      }
      return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
    }
    if (h.authorization() != null) {
      String cred = h.authorization().credentials();
      if (!h.authorization().credentialsFile().isEmpty()) {
        // re-read at every scrape: projected service account tokens rotate
        cred = readSecret(h.authorization().credentialsFile(), "credentials file");
      }
      return h.authorization().type() + " " + cred;
    }
    return null;
  }

  private static String readSecret(String file, String what) throws ScrapeException {
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException e) {
      throw new ScrapeException("auth", "unable to read " + what + " " + file + ": " + e.getClass().getSimpleName());
    }
  }

  /** Go's strconv.FormatFloat(timeout.Seconds(), 'f', -1, 64). */
  static String seconds(Duration d) {
    // Long arithmetic, not BigDecimal: BigDecimal's static initialiser did big-number arithmetic,
    // interpreted, right before a collector's first scrape.
    long n = d.toNanos();
    long whole = Math.abs(n / 1_000_000_000L);
    int frac = (int) Math.abs(n % 1_000_000_000L);
    StringBuilder sb = new StringBuilder(21);
    if (n < 0) {
      sb.append('-');
    }
    sb.append(whole);
    if (frac != 0) {
      String f = Integer.toString(1_000_000_000 + frac); // "1" and nine digits
      int end = f.length();
      while (f.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(f, 1, end);
    }
    return sb.toString();
  }

  private static final class CountingStream extends java.io.FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  /** proxy_url with no_proxy (comma-separated hosts, domain suffixes, {@code *}). */
  private static final class NoProxySelector extends ProxySelector {
    private final Proxy proxy;
    private final List<String> noProxy;

    NoProxySelector(URI proxyUrl, String noProxy) {
      int port = proxyUrl.getPort() > 0 ? proxyUrl.getPort() : ("https".equals(proxyUrl.getScheme()) ? 443 : 80);
      this.proxy = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(proxyUrl.getHost(), port));
      List<String> list = new ArrayList<>();
      for (String s : noProxy.split(",")) {
        if (!s.isBlank()) {
          list.add(s.trim().toLowerCase(Locale.ROOT));
        }
      }
      this.noProxy = list;
    }

    @Override
    public List<Proxy> select(URI uri) {
      String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
      for (String n : noProxy) {
        String suffix = n.startsWith(".") ? n : "." + n;
        if (n.equals("*") || host.equals(n) || host.endsWith(suffix)) {
          return List.of(Proxy.NO_PROXY);
        }
      }
      return List.of(proxy);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
  }

  void close() {
    client.shutdownNow();
    HttpClient t;
    synchronized (this) {
      t = tlsClient;
    }
    if (t != null && t != client) {
      t.shutdownNow();
    }
  }
}
