package dev.otelcoljava.receiver.prometheus.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelcoljava.receiver.prometheus.config.HttpClientConfig.Authorization;
import dev.otelcoljava.receiver.prometheus.config.HttpClientConfig.BasicAuth;
import dev.otelcoljava.receiver.prometheus.config.HttpClientConfig.TlsConfig;
import dev.otelcoljava.receiver.prometheus.config.KubernetesSdConfig.AttachMetadata;
import dev.otelcoljava.receiver.prometheus.config.KubernetesSdConfig.Selector;
import dev.otelcoljava.receiver.prometheus.config.ScrapeConfig.FileSdConfig;
import dev.otelcoljava.receiver.prometheus.config.ScrapeConfig.StaticConfig;
import dev.otelcoljava.receiver.prometheus.discovery.DiscovererProvider;
import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.receiver.prometheus.relabel.RelabelConfig;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the embedded Prometheus config ({@code receivers::prometheus::config}) with Prometheus'
 * defaults and validation messages. Every problem is reported through the {@link ConfigNode}; the
 * reader never throws. Files named by the config are only checked for existence, except {@code
 * scrape_config_files}, which Prometheus' loader reads at load time too.
 */
public final class PromConfigReader {
  /** The protocols Prometheus accepts in {@code scrape_protocols}. */
  public static final List<String> PROTOCOLS = List.of("PrometheusProto", "OpenMetricsText0.0.1",
      "OpenMetricsText1.0.0", "PrometheusText0.0.4", "PrometheusText1.0.0");

  private static final Pattern FILE_SD_NAME = Pattern.compile("^[^*]*(\\*[^/]*)?\\.(json|yml|yaml|JSON|YML|YAML)$");
  private static final List<String> ROLES = List.of("pod", "service", "endpoints", "endpointslice", "node", "ingress");
  /** Service discoveries Prometheus has that this collector does not (yet). */
  private static final List<String> OTHER_SD = List.of("azure_sd_configs", "consul_sd_configs",
      "digitalocean_sd_configs", "docker_sd_configs", "dockerswarm_sd_configs", "dns_sd_configs", "ec2_sd_configs",
      "eureka_sd_configs", "gce_sd_configs", "hetzner_sd_configs", "http_sd_configs", "ionos_sd_configs",
      "kuma_sd_configs", "lightsail_sd_configs", "linode_sd_configs", "marathon_sd_configs", "nerve_sd_configs",
      "nomad_sd_configs", "openstack_sd_configs", "ovhcloud_sd_configs", "puppetdb_sd_configs",
      "scaleway_sd_configs", "serverset_sd_configs", "triton_sd_configs", "uyuni_sd_configs", "vultr_sd_configs",
      "stackit_sd_configs");

  private PromConfigReader() {}

  /**
   * Reads the {@code config} node. {@code requireScrapeConfigs} is false when a target allocator
   * would supply them.
   */
  public static PromConfig read(ConfigNode node, boolean requireScrapeConfigs) {
    if (!node.present()) {
      if (requireScrapeConfigs) {
        node.error("no Prometheus scrape_configs or target_allocator set");
      }
      return PromConfig.DEFAULT;
    }
    unsupportedFeatures(node);
    node.accept("storage", "tracing", "otlp", "runtime");
    GlobalConfig global = readGlobal(node.get("global"));
    List<ScrapeConfig> scrapeConfigs = new ArrayList<>();
    Map<String, String> jobPaths = new LinkedHashMap<>();
    for (ConfigNode sc : node.list("scrape_configs")) {
      ScrapeConfig c = readScrapeConfig(sc, global);
      addJob(sc, c, scrapeConfigs, jobPaths);
    }
    List<String> files = node.stringList("scrape_config_files");
    for (int i = 0; i < files.size(); i++) {
      String pattern = files.get(i);
      for (Path file : glob(pattern)) {
        Object parsed;
        try {
          parsed = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Object.class);
        } catch (IOException e) {
          node.error("scrape_config_files[" + i + "]", "cannot read " + file + ": " + e.getMessage());
          continue;
        }
        ConfigNode fileRoot = ConfigNode.root(parsed, node.path() + "::scrape_config_files[" + i + "](" + file + ")",
            node.problems());
        for (ConfigNode sc : fileRoot.list("scrape_configs")) {
          addJob(sc, readScrapeConfig(sc, global), scrapeConfigs, jobPaths);
        }
        fileRoot.reportUnknownKeys();
      }
    }
    if (requireScrapeConfigs && scrapeConfigs.isEmpty()) {
      node.error("no Prometheus scrape_configs or target_allocator set");
    }
    return new PromConfig(global, List.copyOf(scrapeConfigs), List.copyOf(files));
  }

  private static void addJob(ConfigNode sc, ScrapeConfig c, List<ScrapeConfig> out, Map<String, String> jobPaths) {
    if (c == null) {
      return;
    }
    if (jobPaths.containsKey(c.jobName())) {
      sc.error("found multiple scrape configs with job name \"" + c.jobName() + "\"");
      return;
    }
    jobPaths.put(c.jobName(), sc.path());
    out.add(c);
  }

  private static List<Path> glob(String pattern) {
    Path p = Path.of(pattern);
    Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
    String last = p.getFileName() == null ? "" : p.getFileName().toString();
    if (!last.contains("*") && !last.contains("?") && !last.contains("[")) {
      return Files.exists(p) ? List.of(p) : List.of();
    }
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, last)) {
      for (Path f : ds) {
        out.add(f);
      }
    } catch (IOException ignored) {
      // a missing directory matches nothing, as Go's filepath.Glob
    }
    out.sort(null);
    return out;
  }

  private static void unsupportedFeatures(ConfigNode node) {
    Set<String> unsupported = new TreeSet<>();
    if (!acceptAll(node.list("remote_write")).isEmpty()) {
      unsupported.add("remote_write");
    }
    if (!acceptAll(node.list("remote_read")).isEmpty()) {
      unsupported.add("remote_read");
    }
    if (!node.list("rule_files").isEmpty()) {
      unsupported.add("rule_files");
    }
    ConfigNode alerting = node.get("alerting");
    if (alerting.present()) {
      alerting.acceptAnyKey();
      if (alerting.isMap() && listNotEmpty(alerting.raw(), "alert_relabel_configs")) {
        unsupported.add("alert_config.relabel_configs");
      }
      if (alerting.isMap() && listNotEmpty(alerting.raw(), "alertmanagers")) {
        unsupported.add("alert_config.alertmanagers");
      }
    }
    if (!unsupported.isEmpty()) {
      node.error("unsupported features:\n\t" + String.join("\n\t", unsupported));
    }
  }

  private static List<ConfigNode> acceptAll(List<ConfigNode> items) {
    for (ConfigNode n : items) {
      n.acceptAnyKey();
    }
    return items;
  }

  private static boolean listNotEmpty(Object map, String key) {
    return map instanceof Map<?, ?> m && m.get(key) instanceof List<?> l && !l.isEmpty();
  }

  static GlobalConfig readGlobal(ConfigNode g) {
    GlobalConfig d = GlobalConfig.DEFAULT;
    if (!g.present()) {
      return d;
    }
    Duration interval = positive(g, "scrape_interval", d.scrapeInterval());
    Duration timeout = g.duration("scrape_timeout", Duration.ZERO);
    if (timeout.isZero()) {
      timeout = d.scrapeTimeout().compareTo(interval) > 0 ? interval : d.scrapeTimeout();
    }
    if (timeout.compareTo(interval) > 0) {
      g.error("global scrape timeout greater than scrape interval");
    }
    g.accept("evaluation_interval", "rule_query_offset", "query_log_file", "scrape_failure_log_file",
        "metric_name_validation_scheme", "metric_name_escaping_scheme", "convert_classic_histograms_to_nhcb",
        "always_scrape_classic_histograms", "scrape_native_histograms");
    Labels external = Labels.fromMap(g.stringMap("external_labels"));
    List<String> protocols = protocols(g, d.scrapeProtocols());
    return new GlobalConfig(interval, timeout, external, protocols, g.bytes("body_size_limit", 0),
        nonNegative(g, "sample_limit"), nonNegative(g, "label_limit"), nonNegative(g, "label_name_length_limit"),
        nonNegative(g, "label_value_length_limit"), nonNegative(g, "target_limit"),
        nonNegative(g, "keep_dropped_targets"));
  }

  private static Duration positive(ConfigNode n, String key, Duration def) {
    Duration v = n.duration(key, def);
    if (v.isNegative() || v.isZero()) {
      n.error(key, "must be a positive duration, got " + v);
      return def;
    }
    return v;
  }

  private static long nonNegative(ConfigNode n, String key) {
    long v = n.longValue(key, 0);
    if (v < 0) {
      n.error(key, "must be >= 0, got " + v);
      return 0;
    }
    return v;
  }

  private static List<String> protocols(ConfigNode n, List<String> def) {
    if (!n.has("scrape_protocols")) {
      return def;
    }
    List<String> ps = n.stringList("scrape_protocols");
    Set<String> seen = new HashSet<>();
    for (String p : ps) {
      if (!PROTOCOLS.contains(p)) {
        n.error("scrape_protocols", "unknown scrape protocol " + p + ", supported: " + PROTOCOLS);
      } else if (!seen.add(p)) {
        n.error("scrape_protocols", "duplicated protocol in scrape_protocols, got " + ps);
      }
    }
    if (ps.isEmpty()) {
      n.error("scrape_protocols", "scrape_protocols cannot be empty");
      return def;
    }
    return List.copyOf(ps);
  }

  /** Reads one scrape config, applying the global defaults; null if it has no usable job name. */
  static ScrapeConfig readScrapeConfig(ConfigNode sc, GlobalConfig g) {
    String job = sc.string("job_name", "");
    if (job.isEmpty()) {
      sc.error("job_name is empty");
    }
    Duration interval = sc.duration("scrape_interval", Duration.ZERO);
    if (interval.isNegative()) {
      sc.error("scrape_interval", "must be a positive duration, got " + interval);
      interval = Duration.ZERO;
    }
    if (interval.isZero()) {
      interval = g.scrapeInterval();
    }
    Duration timeout = sc.duration("scrape_timeout", Duration.ZERO);
    if (timeout.isZero()) {
      timeout = g.scrapeTimeout().compareTo(interval) > 0 ? interval : g.scrapeTimeout();
    }
    if (timeout.compareTo(interval) > 0) {
      sc.error("scrape timeout greater than scrape interval for scrape config with job name \"" + job + "\"");
    }
    String metricsPath = sc.string("metrics_path", "/metrics");
    String scheme = sc.string("scheme", "http");
    if (!scheme.equals("http") && !scheme.equals("https")) {
      sc.error("scheme", "\"" + scheme + "\" must be http or https");
    }
    Map<String, List<String>> params = new LinkedHashMap<>();
    ConfigNode pn = sc.get("params");
    pn.acceptAnyKey();
    if (pn.present()) {
      if (!pn.isMap()) {
        pn.error("expected a map of parameter name to list of values");
      } else {
        for (String k : pn.keys()) {
          ConfigNode v = pn.get(k);
          params.put(k, v.isList() ? pn.stringList(k) : List.of(String.valueOf(v.asString())));
        }
      }
    }
    sc.accept("scrape_classic_histograms", "always_scrape_classic_histograms", "native_histogram_bucket_limit",
        "native_histogram_min_bucket_factor", "metric_name_validation_scheme", "metric_name_escaping_scheme",
        "convert_classic_histograms_to_nhcb");
    if (sc.bool("scrape_native_histograms", false)) {
      sc.warn("scrape_native_histograms needs the PrometheusProto protocol, which this collector does not speak; "
          + "classic histograms are scraped instead");
    }
    if (sc.has("scrape_failure_log_file") && !sc.string("scrape_failure_log_file", "").isEmpty()) {
      sc.warn("scrape_failure_log_file is not supported; scrape failures are logged by the collector");
    }
    long bodySizeLimit = sc.bytes("body_size_limit", 0);
    if (bodySizeLimit == 0) {
      bodySizeLimit = g.bodySizeLimit();
    }
    long sampleLimit = orGlobal(sc, "sample_limit", g.sampleLimit());
    long labelLimit = orGlobal(sc, "label_limit", g.labelLimit());
    long nameLen = orGlobal(sc, "label_name_length_limit", g.labelNameLengthLimit());
    long valueLen = orGlobal(sc, "label_value_length_limit", g.labelValueLengthLimit());
    long targetLimit = orGlobal(sc, "target_limit", g.targetLimit());
    long keepDropped = orGlobal(sc, "keep_dropped_targets", g.keepDroppedTargets());
    List<String> protocols = protocols(sc, g.scrapeProtocols());
    String fallback = sc.string("fallback_scrape_protocol", "PrometheusText0.0.4");
    if (!PROTOCOLS.contains(fallback)) {
      sc.error("fallback_scrape_protocol", "unknown scrape protocol " + fallback + ", supported: " + PROTOCOLS);
    }
    HttpClientConfig http = readHttp(sc);
    List<StaticConfig> statics = new ArrayList<>();
    for (ConfigNode s : sc.list("static_configs")) {
      statics.add(new StaticConfig(s.stringList("targets"), Labels.fromMap(s.stringMap("labels"))));
    }
    List<FileSdConfig> files = new ArrayList<>();
    for (ConfigNode f : sc.list("file_sd_configs")) {
      List<String> names = f.stringList("files");
      if (names.isEmpty()) {
        f.error("file service discovery config must contain at least one path name");
      }
      for (String name : names) {
        if (!FILE_SD_NAME.matcher(name).matches()) {
          f.error("files", "path name \"" + name + "\" is not valid for file discovery");
        }
      }
      files.add(new FileSdConfig(names, positive(f, "refresh_interval", Duration.ofMinutes(5))));
    }
    List<KubernetesSdConfig> k8s = new ArrayList<>();
    for (ConfigNode k : sc.list("kubernetes_sd_configs")) {
      k8s.add(readKubernetes(k));
    }
    if (!k8s.isEmpty() && !DiscovererProvider.available("kubernetes_sd_configs")) {
      sc.error("kubernetes_sd_configs", "kubernetes_sd_configs is not supported yet by this collector");
    }
    for (String other : OTHER_SD) {
      if (sc.has(other)) {
        sc.error(other, other + " is not supported by this collector; use static_configs or file_sd_configs");
      }
    }
    List<RelabelConfig> relabel = RelabelConfig.readList(sc, "relabel_configs");
    List<RelabelConfig> metricRelabel = RelabelConfig.readList(sc, "metric_relabel_configs");
    for (RelabelConfig rc : metricRelabel) {
      if (rc.targetLabel().equals("__name__")) {
        sc.warn("metric_relabel_configs writes __name__: the renamed metrics lose their type and unit metadata "
            + "and become gauges");
        break;
      }
    }
    if (job.isEmpty()) {
      return null;
    }
    return new ScrapeConfig(job, interval, timeout, metricsPath, Map.copyOf(params), scheme,
        sc.bool("honor_labels", false), sc.bool("honor_timestamps", true),
        sc.bool("track_timestamps_staleness", false), bodySizeLimit, sampleLimit, labelLimit, nameLen, valueLen,
        targetLimit, keepDropped, protocols, fallback, sc.bool("enable_compression", true), http,
        List.copyOf(statics), List.copyOf(files), List.copyOf(k8s), relabel, metricRelabel);
  }

  private static long orGlobal(ConfigNode n, String key, long global) {
    long v = nonNegative(n, key);
    return v == 0 ? global : v;
  }

  /** Reads the HTTP client keys of a scrape config or SD config, with Prometheus' checks. */
  static HttpClientConfig readHttp(ConfigNode n) {
    BasicAuth basic = null;
    ConfigNode b = n.get("basic_auth");
    if (b.present()) {
      basic = new BasicAuth(b.string("username", ""), b.string("username_file", ""), b.string("password", ""),
          b.string("password_file", ""));
      if (!basic.password().isEmpty() && !basic.passwordFile().isEmpty()) {
        b.error("at most one of basic_auth password & password_file must be configured");
      }
      if (!basic.username().isEmpty() && !basic.usernameFile().isEmpty()) {
        b.error("at most one of basic_auth username & username_file must be configured");
      }
      checkFile(b, basic.passwordFile(), "basic_auth password file");
      checkFile(b, basic.usernameFile(), "basic_auth username file");
    }
    Authorization auth = null;
    ConfigNode a = n.get("authorization");
    if (a.present()) {
      auth = new Authorization(a.string("type", "Bearer"), a.string("credentials", ""),
          a.string("credentials_file", ""));
      if (auth.type().isEmpty()) {
        auth = new Authorization("Bearer", auth.credentials(), auth.credentialsFile());
      }
      if (auth.type().toLowerCase(Locale.ROOT).equals("basic")) {
        a.error("authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
      }
      if (!auth.credentials().isEmpty() && !auth.credentialsFile().isEmpty()) {
        a.error("at most one of authorization credentials & credentials_file must be configured");
      }
    }
    String bearer = n.string("bearer_token", "");
    String bearerFile = n.string("bearer_token_file", "");
    if (!bearer.isEmpty() && !bearerFile.isEmpty()) {
      n.error("at most one of bearer_token & bearer_token_file must be configured");
    }
    if ((!bearer.isEmpty() || !bearerFile.isEmpty())) {
      if (basic != null) {
        n.error("at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured");
      } else if (auth != null) {
        n.error("authorization is not compatible with bearer_token & bearer_token_file");
      } else {
        auth = new Authorization("Bearer", bearer, bearerFile);
      }
    }
    if (basic != null && auth != null && bearer.isEmpty() && bearerFile.isEmpty()) {
      n.error("at most one of basic_auth, oauth2 & authorization must be configured");
    }
    if (auth != null) {
      checkFile(n, auth.credentialsFile(), "authorization credentials file");
    }
    if (n.has("oauth2")) {
      n.error("oauth2", "oauth2 is not supported yet by this collector");
    }
    TlsConfig tls = TlsConfig.DEFAULT;
    ConfigNode t = n.get("tls_config");
    if (t.present()) {
      tls = new TlsConfig(t.string("ca_file", ""), t.string("cert_file", ""), t.string("key_file", ""),
          t.string("server_name", ""), t.bool("insecure_skip_verify", false),
          orEmpty(t.oneOf("min_version", null, "TLS10", "TLS11", "TLS12", "TLS13")),
          orEmpty(t.oneOf("max_version", null, "TLS10", "TLS11", "TLS12", "TLS13")));
      for (String inline : List.of("ca", "cert", "key")) {
        if (t.has(inline)) {
          t.error(inline, "inline TLS material is not supported; use " + inline + "_file");
        }
      }
      checkFile(t, tls.caFile(), "CA file");
      checkFile(t, tls.certFile(), "client cert file");
      checkFile(t, tls.keyFile(), "client key file");
      if (tls.certFile().isEmpty() != tls.keyFile().isEmpty()) {
        t.error("client cert file and client key file must both be set, got cert_file \"" + tls.certFile()
            + "\" and key_file \"" + tls.keyFile() + "\"");
      }
    }
    Map<String, List<String>> proxyHeaders = new LinkedHashMap<>();
    ConfigNode ph = n.get("proxy_connect_header");
    ph.acceptAnyKey();
    for (String k : ph.keys()) {
      proxyHeaders.put(k, ph.stringList(k));
    }
    String proxyUrl = n.string("proxy_url", "");
    if (!proxyUrl.isEmpty()) {
      try {
        java.net.URI u = new java.net.URI(proxyUrl);
        if (u.getHost() == null || u.getScheme() == null) {
          n.error("proxy_url", "\"" + proxyUrl + "\" must be an absolute URL such as http://proxy:3128");
        }
      } catch (java.net.URISyntaxException e) {
        n.error("proxy_url", "\"" + proxyUrl + "\" is not a valid URL: " + e.getMessage());
      }
    }
    String noProxy = n.string("no_proxy", "");
    if (!noProxy.isEmpty() && proxyUrl.isEmpty()) {
      n.error("if no_proxy is configured, proxy_url must also be configured");
    }
    if (n.bool("proxy_from_environment", false)) {
      n.error("proxy_from_environment", "proxy_from_environment is not supported yet; set proxy_url");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    ConfigNode hh = n.get("http_headers");
    hh.acceptAnyKey();
    if (hh.present()) {
      hh.error("http_headers is not supported yet by this collector");
    }
    return new HttpClientConfig(basic, auth, tls, n.bool("follow_redirects", true), n.bool("enable_http2", true),
        proxyUrl, noProxy, Map.copyOf(proxyHeaders), Map.copyOf(headers));
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static void checkFile(ConfigNode n, String file, String what) {
    if (file != null && !file.isEmpty() && !Files.exists(Path.of(file))) {
      if (n.problems().offline()) {
        n.warn(what + " \"" + file + "\" does not exist here; not needed offline (nothing is scraped)");
        return;
      }
      n.error("error checking " + what + " \"" + file + "\": stat " + file + ": no such file or directory");
    }
  }

  static KubernetesSdConfig readKubernetes(ConfigNode k) {
    String role = k.string("role", "");
    if (role.isEmpty()) {
      k.error("role missing (one of: pod, service, endpoints, endpointslice, node, ingress)");
    } else if (!ROLES.contains(role)) {
      k.error("role", "unknown Kubernetes SD role \"" + role + "\"");
    }
    String apiServer = k.string("api_server", "");
    String kubeconfig = k.string("kubeconfig_file", "");
    if (!apiServer.isEmpty() && !kubeconfig.isEmpty()) {
      k.error("cannot use 'kubeconfig_file' and 'api_server' simultaneously");
    }
    checkFile(k, kubeconfig, "kubeconfig file");
    ConfigNode ns = k.get("namespaces");
    boolean own = ns.bool("own_namespace", false);
    List<String> names = ns.stringList("names");
    List<Selector> selectors = new ArrayList<>();
    for (ConfigNode s : k.list("selectors")) {
      String sr = s.string("role", "");
      if (!ROLES.contains(sr)) {
        s.error("role", "selector role \"" + sr + "\" is not one of " + ROLES);
      }
      selectors.add(new Selector(sr, s.string("label", ""), s.string("field", "")));
    }
    ConfigNode am = k.get("attach_metadata");
    AttachMetadata attach = new AttachMetadata(am.bool("node", false), am.bool("namespace", false),
        am.bool("deployment", false), am.bool("cronjob", false), am.bool("job", false));
    HttpClientConfig http = readHttp(k);
    return new KubernetesSdConfig(role, apiServer, kubeconfig, own, List.copyOf(names), List.copyOf(selectors),
        attach, http);
  }
}
