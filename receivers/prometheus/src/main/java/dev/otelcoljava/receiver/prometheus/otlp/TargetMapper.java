package dev.otelcoljava.receiver.prometheus.otlp;

import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.receiver.prometheus.relabel.Relabeler;
import dev.otelcoljava.receiver.prometheus.textparse.Exemplar;
import dev.otelcoljava.receiver.prometheus.textparse.MetricType;
import dev.otelcoljava.receiver.prometheus.textparse.ParseException;
import dev.otelcoljava.receiver.prometheus.textparse.Parser;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.HistogramPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.runtime.api.data.SummaryPoint;
import dev.otelcoljava.runtime.api.data.Temporality;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;

/**
 * Turns the scrapes of one target into OTLP batches exactly as otelcol's prometheus receiver does:
 * sample-label mutation (honor_labels, {@code exported_*}), metric relabeling, limits, family
 * grouping by metadata, histogram/summary assembly, {@code target_info}, {@code otel_scope_*},
 * start-time adjustment (the contrib ≤ v0.142 adjuster) and staleness markers.
 *
 * <p><b>Hot path.</b> Series are cached by the parser's raw {@code name{labels}} bytes: a series
 * seen before is neither decoded, relabeled nor re-grouped; its sample goes straight into its
 * persistent group. Only the output objects (points, attributes copies) are allocated per scrape,
 * because ownership of a batch passes to the consumer.
 *
 * <p>Use per scrape: {@link #beginScrape}, then {@link #appendBody} (may throw {@link
 * ScrapeException}), then {@link #commit} on success or {@link #fail} on any failure; {@link #stop}
 * when the target leaves. Not thread-safe: owned by the target's scrape loop.
 */
public final class TargetMapper {
  /** The default instrumentation scope name, as otelcol's receiver sets it. */
  public static final String SCOPE_NAME =
      "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/prometheusreceiver";

  static final String TARGET_INFO = "target_info";
  static final String SCOPE_INFO = "otel_scope_info";
  private static final long MIN_IDLE_MS = 120_000;

  enum Kind { GAUGE, SUM_MONOTONIC, SUM, HISTOGRAM, SUMMARY, DROP }

  enum Role { VALUE, BUCKET, QUANTILE, COUNT, SUM, CREATED, TARGET_INFO, SCOPE_INFO, DROPPED }

  /** Metadata of one family name, updated from TYPE/HELP/UNIT lines. */
  static final class Meta {
    MetricType type = MetricType.UNKNOWN;
    String help = "";
    String unit = "";
  }

  /** One (job, instance) resource. */
  static final class Res {
    final String job;
    final String instance;
    final Attributes base;
    Labels targetInfo = Labels.EMPTY;

    Res(String job, String instance, Attributes base) {
      this.job = job;
      this.instance = instance;
      this.base = base;
    }
  }

  /** One instrumentation scope. */
  static final class Scope {
    final String name;
    final String version;
    final String schemaUrl;
    final Attributes attributes;
    Attributes infoAttributes;

    Scope(String name, String version, String schemaUrl, Attributes attributes) {
      this.name = name;
      this.version = version;
      this.schemaUrl = schemaUrl;
      this.attributes = attributes;
    }
  }

  /** A metric family of one resource and scope; persistent across scrapes. */
  static final class Family {
    final String name;
    final Meta meta;
    final Kind kind;
    final String promType;
    final Res res;
    final Scope scope;
    final HashMap<Labels, Group> groups = new HashMap<>();
    final ArrayList<Group> active = new ArrayList<>();
    long iter = -1;
    /** The bucket bounds (or quantiles) of the family's groups, when they have the same ones. */
    private double[] commonBounds;

    Family(String name, Meta meta, Kind kind, String promType, Res res, Scope scope) {
      this.name = name;
      this.meta = meta;
      this.kind = kind;
      this.promType = promType;
      this.res = res;
      this.scope = scope;
    }

    /**
     * {@code bounds}, or an equal array the family already holds: a group keeps the bounds of its
     * last point (for its staleness marker), and the groups of a family nearly always have the same.
     */
    double[] shared(double[] bounds) {
      if (Arrays.equals(commonBounds, bounds)) {
        return commonBounds;
      }
      if (commonBounds == null) {
        commonBounds = bounds.clone(); // never handed out: points get clones (see stale points)
      }
      return bounds;
    }
  }

  /**
   * One OTLP point's worth of series (a number, or a histogram/summary); persistent. Its label
   * strings are interned (see {@link #groupKey}), so the many groups that share a label name or
   * value (a container's id, a namespace) hold one copy of it.
   */
  static final class Group {
    final Family family;
    /** The point's attributes as labels (no empty values), also the key in {@link Family#groups}. */
    final Labels key;
    long iter = -1;
    long tsMs;
    boolean stale;
    double value;
    boolean hasValue;
    double count;
    boolean hasCount;
    double sum;
    boolean hasSum;
    double created;
    // buckets or quantiles of this scrape; allocated by the first one (number groups never need them)
    double[] bounds;
    double[] bucketValues;
    int buckets;
    double[] lastBounds = NO_BOUNDS;
    ArrayList<dev.otelcoljava.runtime.api.data.Exemplar> exemplars;
    // start-time adjuster state (contrib <= v0.142)
    boolean hasRef;
    long refStartNanos;
    double prevValue;
    double prevCount;
    double prevSum;
    long lastTouchedMs;

    Group(Family family, Labels key) {
      this.family = family;
      this.key = key;
    }

    /** A fresh copy of the point's attributes. */
    Attributes attributes() {
      return attributesOf(key);
    }

    void reset() {
      stale = false;
      hasValue = false;
      hasCount = false;
      hasSum = false;
      created = 0;
      buckets = 0;
      tsMs = Long.MIN_VALUE;
      if (exemplars != null) {
        exemplars.clear();
      }
    }

    /**
     * Fits the scratch arrays to this scrape's buckets (they grew by doubling: 16 slots for the
     * usual 11 or 12 buckets); the next scrape of the group nearly always has as many.
     */
    void fitBuckets() {
      if (bounds != null && buckets > 0 && bounds.length > buckets) {
        bounds = Arrays.copyOf(bounds, buckets);
        bucketValues = Arrays.copyOf(bucketValues, buckets);
      }
    }

    void addBucket(double boundary, double v) {
      if (bounds == null) {
        bounds = new double[8];
        bucketValues = new double[8];
      } else if (buckets == bounds.length) {
        bounds = Arrays.copyOf(bounds, buckets * 2);
        bucketValues = Arrays.copyOf(bucketValues, buckets * 2);
      }
      bounds[buckets] = boundary;
      bucketValues[buckets] = v;
      buckets++;
    }
  }

  /**
   * A cache entry: what one raw series maps to. One per sample line of every target, so it is kept
   * small: what only a few series need is in {@link Special}.
   */
  static final class Series extends SeriesTable.Entry {
    // The scrape (iter) that last had this series, truncated to int (4 B less per sample line): a
    // cached series is compared with the current or the previous scrape only (commit drops the
    // series the scrape did not have), so values 2^32 scrapes apart never meet.
    int lastIter;
    /** The scrape (iter, truncated) that last appended this series and tracks it for staleness. */
    int seenIter = -1;
    Role role;
    Group group;
    double boundary;
    /** Set for a series that fails the scrape, and for target_info and otel_scope_info. */
    Special special;
  }

  /** What a failing, target_info or otel_scope_info series maps to. */
  static final class Special {
    String failError;
    String failReason;
    Labels labels;
    Res res;
    Scope scope;
  }

  private static final double[] NO_BOUNDS = new double[0];

  private final MapperSettings settings;
  private final SeriesTable cache = new SeriesTable();
  private final Exemplar exemplar = new Exemplar();
  private final HashMap<String, Meta> metadata = new HashMap<>();
  private final HashMap<String, Family> families = new HashMap<>();
  /**
   * The family the last new series went to: an exposition lists a family's series together, so
   * most new series find their family here without building and hashing its key. Cleared at each
   * scrape's start, before which {@link #gc} and a reset are the only ones to drop families.
   */
  private Family lastFamily;
  /** The resource of the last new series; resources are never dropped. */
  private Res lastRes;
  private final HashMap<String, Res> resources = new HashMap<>();
  private final HashMap<String, Scope> scopes = new HashMap<>();
  private final Scope defaultScope;
  private final Series[] report = new Series[5];
  private final ArrayList<Family> active = new ArrayList<>();
  private ArrayList<Series> seen = new ArrayList<>();
  private ArrayList<Series> prevSeen = new ArrayList<>();
  private final long idleMs;
  private final String job;
  private final String instance;
  private long iter;
  private long scrapeTimeMs;
  private long lastGcMs;
  private boolean resetPending;
  private int samplesScraped;
  private int samplesPost;
  private boolean sampleLimitExceeded;
  private int seriesAdded;
  private int duplicates;
  private int droppedSeries;
  private String lastWarning;

  public TargetMapper(MapperSettings settings) {
    this.settings = settings;
    this.idleMs = Math.max(MIN_IDLE_MS, settings.interval().toMillis() + 60_000);
    this.job = settings.targetLabels().get("job");
    this.instance = settings.targetLabels().get("instance");
    this.defaultScope = new Scope(SCOPE_NAME, settings.scopeVersion(), "", new Attributes());
    String[] names = {"up", "scrape_duration_seconds", "scrape_samples_scraped",
      "scrape_samples_post_metric_relabeling", "scrape_series_added"};
    String[] help = {"The scraping was successful", "Duration of the scrape",
      "The number of samples the target exposed",
      "The number of samples remaining after metric relabeling was applied",
      "The approximate number of new series in this scrape"};
    for (int i = 0; i < names.length; i++) {
      Meta m = new Meta();
      m.type = MetricType.GAUGE;
      m.help = help[i];
      m.unit = i == 1 ? "seconds" : "";
      Labels.Builder b = settings.targetLabels().toBuilder();
      b.set(Labels.METRIC_NAME, names[i]);
      Labels lset = withExternal(b.build());
      Res res = res(lset.get("job"), lset.get("instance"));
      Family f = new Family(names[i], m, Kind.GAUGE, "gauge", res, defaultScope);
      Series s = new Series();
      s.role = Role.VALUE;
      s.group = new Group(f, groupKey(lset, Kind.GAUGE));
      report[i] = s;
    }
  }

  /** Starts a scrape at the given wall-clock time (ms), the default timestamp of its samples. */
  public void beginScrape(long scrapeTimeMs) {
    if (resetPending) {
      // a family changed its type: rebuild every mapping from scratch (rare)
      cache.clear();
      families.clear();
      prevSeen.clear();
      resetPending = false;
    }
    lastFamily = null;
    iter++;
    this.scrapeTimeMs = scrapeTimeMs;
    active.clear();
    seen.clear();
    samplesScraped = 0;
    samplesPost = 0;
    seriesAdded = 0;
    duplicates = 0;
    sampleLimitExceeded = false;
    droppedSeries = 0;
    lastWarning = null;
  }

  public int samplesScraped() {
    return samplesScraped;
  }

  public int samplesPostMetricRelabeling() {
    return samplesPost;
  }

  public int seriesAdded() {
    return seriesAdded;
  }

  /** Samples of this scrape ignored as duplicates of a series already seen in it. */
  public int duplicates() {
    return duplicates;
  }

  /** A warning about a series dropped in this scrape (bad le/quantile, ...), or null. */
  public String lastWarning() {
    return lastWarning;
  }

  /** Series ignored in this scrape because they could not be mapped (see {@link #lastWarning()}). */
  public int droppedSeries() {
    return droppedSeries;
  }

  /** The number of cached series (for tests and self-metrics). */
  public int cachedSeries() {
    return cache.size();
  }

  /**
   * Parses an exposition body and appends its samples. Throws when Prometheus would fail the
   * whole scrape (parse error, a limit, a sample without a name); the caller then calls {@link
   * #fail}.
   */
  public void appendBody(byte[] body, int length, String contentType) throws ScrapeException {
    String ct = contentType;
    if (ct == null || !(ct.startsWith("text/plain") || ct.startsWith("application/openmetrics-text"))) {
      ct = settings.fallbackContentType();
    }
    Parser p = Parser.create(body, length, ct);
    try {
      while (true) {
        switch (p.next()) {
          case EOF -> {
            if (sampleLimitExceeded) {
              throw new ScrapeException("sample_limit", "sample limit exceeded");
            }
            return;
          }
          case TYPE -> {
            Meta m = meta(p.metricFamily());
            MetricType t = p.type();
            if (m.type != t) {
              if (m.type != MetricType.UNKNOWN || familiesUse(m)) {
                resetPending = true;
              }
              m.type = t;
            }
          }
          case HELP -> meta(p.metricFamily()).help = p.help();
          case UNIT -> meta(p.metricFamily()).unit = p.unit();
          case SERIES -> appendSeries(p);
          default -> {
            // comments
          }
        }
      }
    } catch (ParseException e) {
      throw new ScrapeException("parse", e.getMessage(), e);
    }
  }

  private boolean familiesUse(Meta m) {
    for (Family f : families.values()) {
      if (f.meta == m) {
        return true;
      }
    }
    return false;
  }

  private Meta meta(String family) {
    Meta m = metadata.get(family);
    if (m == null) {
      m = new Meta();
      metadata.put(family, m);
    }
    return m;
  }

  private void appendSeries(Parser p) throws ScrapeException, ParseException {
    Series s = cache.hash(p.buffer(), p.seriesStart(), p.seriesEnd()).get();
    // A series seen before is not decoded again, nor its label names checked for repeats (the
    // same bytes passed that check); a new one's repeated name fails the scrape here, before it
    // is counted, as Prometheus' parser fails it.
    Labels labels = s == null ? p.labels() : null;
    samplesScraped++;
    boolean added = false;
    if (s == null) {
      s = decode(labels);
      cache.put(s);
      added = true;
    }
    if (s.role == Role.DROPPED) {
      s.lastIter = (int) iter;
      return;
    }
    if (s.special != null && s.special.failError != null) {
      throw new ScrapeException(s.special.failReason, s.special.failError);
    }
    if (s.lastIter == (int) iter) {
      duplicates++;
      return;
    }
    s.lastIter = (int) iter;
    samplesPost++;
    if (sampleLimitExceeded || settings.sampleLimit() > 0 && samplesPost > settings.sampleLimit()) {
      // as Prometheus: the rest of the body is still parsed and counted (scrape_samples_scraped and
      // _post_metric_relabeling report the whole body, scrape_series_added the series before the
      // limit); the scrape fails at the end unless a parse error comes first
      sampleLimitExceeded = true;
      return;
    }
    if (added) {
      seriesAdded++;
    }
    long ts = settings.honorTimestamps() && p.hasTimestamp() ? p.timestampMs() : scrapeTimeMs;
    double v = p.value();
    switch (s.role) {
      case TARGET_INFO -> s.special.res.targetInfo = s.special.labels;
      case SCOPE_INFO -> s.special.scope.infoAttributes = attributesOf(s.special.labels);
      default -> {
        if (!p.hasTimestamp() || settings.trackTimestampsStaleness()) {
          seen.add(s);
          s.seenIter = (int) iter;
        }
        if (add(s, ts, v) && p.exemplar(exemplar)) {
          addExemplar(s.group, ts);
        }
      }
    }
  }

  /** Maps an OpenMetrics exemplar: trace_id/span_id become the IDs, other labels filtered attributes. */
  private void addExemplar(Group g, long sampleTsMs) {
    dev.otelcoljava.runtime.api.data.Exemplar e = new dev.otelcoljava.runtime.api.data.Exemplar();
    e.setDoubleValue(exemplar.value);
    e.setTimeNanos((exemplar.hasTs ? exemplar.tsMs : sampleTsMs) * 1_000_000L);
    Labels l = exemplar.labels;
    for (int i = 0; i < l.size(); i++) {
      String n = l.name(i);
      byte[] id = n.equals("trace_id") ? hex(l.value(i), 16) : n.equals("span_id") ? hex(l.value(i), 8) : null;
      if (id != null && n.equals("trace_id")) {
        e.setTraceId(id);
      } else if (id != null) {
        e.setSpanId(id);
      } else if (!l.value(i).isEmpty()) {
        e.filteredAttributes().put(n, l.value(i));
      }
    }
    if (g.exemplars == null) {
      g.exemplars = new ArrayList<>(2);
    }
    g.exemplars.add(e);
  }

  /** Decodes a hex ID, left-padded to {@code size} bytes; null (kept as an attribute) if not hex or too long. */
  static byte[] hex(String s, int size) {
    if (s.isEmpty() || s.length() > size * 2) {
      return null;
    }
    byte[] out = new byte[size];
    int pos = size * 2 - s.length();
    for (int i = 0; i < s.length(); i++, pos++) {
      int d = Character.digit(s.charAt(i), 16);
      if (d < 0) {
        return null;
      }
      out[pos >> 1] |= (byte) ((pos & 1) == 0 ? d << 4 : d);
    }
    return out;
  }

  private boolean add(Series s, long ts, double v) {
    Group g = touch(s.group);
    if (g.tsMs == Long.MIN_VALUE) {
      g.tsMs = ts;
    } else if (g.tsMs != ts && s.role != Role.COUNT) {
      warn("inconsistent timestamps on metric points for metric " + g.family.name);
      return false;
    }
    switch (s.role) {
      case VALUE -> {
        g.value = v;
        g.hasValue = true;
      }
      case COUNT -> {
        g.tsMs = ts;
        g.count = v;
        g.hasCount = true;
      }
      case SUM -> {
        g.sum = v;
        g.hasSum = true;
      }
      case CREATED -> g.created = v;
      case BUCKET, QUANTILE -> g.addBucket(s.boundary, v);
      default -> {
        // not a sample of a group
      }
    }
    return true;
  }

  private void warn(String message) {
    droppedSeries++;
    lastWarning = message;
  }

  private Group touch(Group g) {
    if (g.iter != iter) {
      g.reset();
      g.iter = iter;
      Family f = g.family;
      if (f.iter != iter) {
        f.iter = iter;
        f.active.clear();
        active.add(f);
      }
      f.active.add(g);
    }
    g.lastTouchedMs = scrapeTimeMs;
    return g;
  }

  // ---------------------------------------------------------------- decoding a new series

  private Series decode(Labels raw) {
    Series s = new Series();
    Labels.Builder b = raw.toBuilder();
    Labels tl = settings.targetLabels();
    if (settings.honorLabels()) {
      for (int i = 0; i < tl.size(); i++) {
        if (!raw.has(tl.name(i))) {
          b.set(tl.name(i), tl.value(i));
        }
      }
    } else {
      List<String[]> conflicts = null;
      for (int i = 0; i < tl.size(); i++) {
        String existing = raw.get(tl.name(i));
        if (!existing.isEmpty()) {
          if (conflicts == null) {
            conflicts = new ArrayList<>(2);
          }
          conflicts.add(new String[] {tl.name(i), existing});
        }
        b.set(tl.name(i), tl.value(i));
      }
      if (conflicts != null) {
        conflicts.sort((x, y) -> Integer.compare(x[0].length(), y[0].length()));
        for (String[] c : conflicts) {
          String name = c[0];
          while (true) {
            name = "exported_" + name;
            if (b.get(name).isEmpty()) {
              b.set(name, c[1]);
              break;
            }
          }
        }
      }
    }
    Labels lset = b.build();
    if (!settings.metricRelabelConfigs().isEmpty()) {
      lset = Relabeler.process(lset, settings.metricRelabelConfigs());
      if (lset == null || lset.isEmpty()) {
        s.role = Role.DROPPED;
        return s;
      }
    }
    String name = lset.metricName();
    if (name.isEmpty()) {
      return fail(s, "parse", "missing metric name (__name__ label)");
    }
    String invalid = validate(lset);
    if (invalid != null) {
      return fail(s, "parse", invalid);
    }
    String limit = checkLimits(lset, name);
    if (limit != null) {
      return fail(s, limit.substring(0, limit.indexOf(' ')), limit);
    }
    lset = withExternal(lset);
    String j = lset.get("job");
    String inst = lset.get("instance");
    if (j.isEmpty() || inst.isEmpty()) {
      return fail(s, "parse", "job or instance cannot be found from labels");
    }
    Res res = res(j, inst);
    Scope scope = scope(lset);
    if (name.equals(TARGET_INFO)) {
      s.role = Role.TARGET_INFO;
      s.special = new Special();
      s.special.res = res;
      s.special.labels = without(lset, "job", "instance", Labels.METRIC_NAME);
      return s;
    }
    if (name.equals(SCOPE_INFO)) {
      s.role = Role.SCOPE_INFO;
      s.special = new Special();
      s.special.scope = scope;
      s.special.labels = withoutScopeLabels(without(lset, "job", "instance", Labels.METRIC_NAME));
      return s;
    }
    classify(s, name, lset, res, scope);
    return s;
  }

  private static Series fail(Series s, String reason, String message) {
    s.role = Role.VALUE;
    s.special = new Special();
    s.special.failReason = reason;
    s.special.failError = message;
    return s;
  }

  private void classify(Series s, String name, Labels lset, Res res, Scope scope) {
    Meta m = metadata.get(name);
    String familyName = name;
    Role role = Role.VALUE;
    if (m == null || m.type == MetricType.UNKNOWN && !metadata.containsKey(name)) {
      String trimmed = normalize(name);
      Meta tm = trimmed.equals(name) ? null : metadata.get(trimmed);
      m = null;
      if (tm != null) {
        switch (tm.type) {
          case COUNTER -> {
            m = tm;
            if (name.endsWith("_created")) {
              familyName = trimmed + "_total";
              role = Role.CREATED;
            }
          }
          case HISTOGRAM, SUMMARY, GAUGE_HISTOGRAM -> {
            m = tm;
            familyName = trimmed;
            if (name.endsWith("_count")) {
              role = Role.COUNT;
            } else if (name.endsWith("_sum")) {
              role = Role.SUM;
            } else if (name.endsWith("_created")) {
              role = Role.CREATED;
            } else {
              role = tm.type == MetricType.SUMMARY ? Role.QUANTILE : Role.BUCKET;
            }
          }
          case INFO -> {
            m = tm;
            familyName = trimmed;
          }
          default -> m = null;
        }
      }
    } else if (m.type == MetricType.HISTOGRAM || m.type == MetricType.GAUGE_HISTOGRAM) {
      role = Role.BUCKET;
    } else if (m.type == MetricType.SUMMARY) {
      role = Role.QUANTILE;
    }
    Kind kind = m == null ? Kind.GAUGE : kindOf(m.type);
    if (kind == Kind.DROP) {
      s.role = Role.DROPPED;
      return;
    }
    if (role == Role.BUCKET || role == Role.QUANTILE) {
      String b = lset.get(role == Role.BUCKET ? "le" : "quantile");
      double boundary = parseFloat(b);
      if (b.isEmpty() || Double.isNaN(boundary) && !b.equalsIgnoreCase("nan")) {
        warn("failed to add datapoint: " + name + " has no valid " + (role == Role.BUCKET ? "le" : "quantile")
            + " label");
        s.role = Role.DROPPED;
        return;
      }
      s.boundary = boundary;
    }
    s.role = role;
    Family f = lastFamily;
    if (f == null || f.res != res || f.scope != scope || !f.name.equals(familyName)) {
      String fkey = res.job + '\u0000' + res.instance + '\u0000' + scope.name + '\u0000' + scope.version + '\u0000'
          + scope.attributes + '\u0000' + familyName;
      f = families.get(fkey);
      if (f == null) {
        Meta meta = m == null ? new Meta() : m;
        f = new Family(familyName, meta, kind, promType(m), res, scope);
        families.put(fkey, f);
      }
      lastFamily = f;
    }
    Labels gk = groupKey(lset, f.kind);
    Group g = f.groups.get(gk);
    if (g == null) {
      g = new Group(f, gk);
      f.groups.put(gk, g);
    }
    s.group = g;
  }

  private static String promType(Meta m) {
    if (m == null) {
      return "unknown";
    }
    return switch (m.type) {
      case COUNTER -> "counter";
      case GAUGE -> "gauge";
      case HISTOGRAM -> "histogram";
      case GAUGE_HISTOGRAM -> "gaugehistogram";
      case SUMMARY -> "summary";
      case INFO -> "info";
      case STATESET -> "stateset";
      default -> "unknown";
    };
  }

  private static Kind kindOf(MetricType t) {
    return switch (t) {
      case COUNTER -> Kind.SUM_MONOTONIC;
      case HISTOGRAM -> Kind.HISTOGRAM;
      case SUMMARY -> Kind.SUMMARY;
      case INFO, STATESET -> Kind.SUM;
      case GAUGE_HISTOGRAM -> Kind.DROP;
      default -> Kind.GAUGE;
    };
  }

  private static final String[] TRIMMABLE = {"_bucket", "_count", "_sum", "_total", "_info", "_created"};

  /** Trims one of the suffixes otelcol's receiver trims to find a family's metadata. */
  static String normalize(String name) {
    for (String suffix : TRIMMABLE) {
      if (name.endsWith(suffix) && !name.equals(suffix)) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }

  /**
   * The labels that become a point's attributes. Names and values are interned ({@link
   * String#intern}, weakly held by the JVM): groups live as long as their series, and without it
   * every group kept its own copy of every string, ~1 KB for a cAdvisor series whose 64-character
   * container id and image are shared by the container's 20 other series.
   */
  private static Labels groupKey(Labels lset, Kind kind) {
    Labels.Builder b = new Labels.Builder();
    for (int i = 0; i < lset.size(); i++) {
      String n = lset.name(i);
      if (n.equals(Labels.METRIC_NAME) || n.equals("job") || n.equals("instance") || n.startsWith("otel_scope_")
          || kind == Kind.HISTOGRAM && n.equals("le") || kind == Kind.SUMMARY && n.equals("quantile")) {
        continue;
      }
      b.set(n.intern(), lset.value(i).intern());
    }
    return b.build();
  }

  private static Attributes attributesOf(Labels l) {
    Attributes a = new Attributes(l.size());
    for (int i = 0; i < l.size(); i++) {
      if (!l.value(i).isEmpty()) {
        a.put(l.name(i), l.value(i));
      }
    }
    return a;
  }

  private static Labels without(Labels l, String... names) {
    Labels.Builder b = l.toBuilder();
    for (String n : names) {
      b.delete(n);
    }
    return b.build();
  }

  private static Labels withoutScopeLabels(Labels l) {
    Labels.Builder b = l.toBuilder();
    for (int i = 0; i < l.size(); i++) {
      if (l.name(i).startsWith("otel_scope_")) {
        b.delete(l.name(i));
      }
    }
    return b.build();
  }

  private Labels withExternal(Labels lset) {
    Labels ext = settings.externalLabels();
    if (ext.isEmpty()) {
      return lset;
    }
    Labels.Builder b = null;
    for (int i = 0; i < ext.size(); i++) {
      if (!lset.has(ext.name(i))) {
        if (b == null) {
          b = lset.toBuilder();
        }
        b.set(ext.name(i), ext.value(i));
      }
    }
    return b == null ? lset : b.build();
  }

  private String checkLimits(Labels lset, String name) {
    long ll = settings.labelLimit();
    if (ll > 0 && lset.size() > ll) {
      return "label_limit exceeded (metric: " + cut(name) + ", number of labels: " + lset.size() + ", limit: " + ll
          + ")";
    }
    long nl = settings.labelNameLengthLimit();
    long vl = settings.labelValueLengthLimit();
    if (nl <= 0 && vl <= 0) {
      return null;
    }
    for (int i = 0; i < lset.size(); i++) {
      int nlen = utf8Length(lset.name(i));
      if (nl > 0 && nlen > nl) {
        return "label_name_length_limit exceeded (metric: " + cut(name) + ", label name: " + cut(lset.name(i))
            + ", length: " + nlen + ", limit: " + nl + ")";
      }
      int vlen = utf8Length(lset.value(i));
      if (vl > 0 && vlen > vl) {
        return "label_value_length_limit exceeded (metric: " + cut(name) + ", label name: " + cut(lset.name(i))
            + ", value: \"" + cut(lset.value(i)) + "\", length: " + vlen + ", limit: " + vl + ")";
      }
    }
    return null;
  }

  private static String cut(String s) {
    return s.length() > 50 ? s.substring(0, 50) : s;
  }

  private static String cut200(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  private static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /**
   * Prometheus 2.x validity (labels.IsValid): legacy metric and label name characters, values that
   * are valid UTF-8 (the parser rejects invalid bytes; here only unpaired surrogates can remain).
   */
  private static String validate(Labels lset) {
    for (int i = 0; i < lset.size(); i++) {
      String n = lset.name(i);
      boolean metric = n.equals(Labels.METRIC_NAME);
      boolean ok = validName(metric ? lset.value(i) : n, metric) && validUtf16(lset.value(i));
      if (!ok) {
        return "invalid metric name or label names: " + cut200(lset.toString());
      }
    }
    return null;
  }

  private static boolean validUtf16(String v) {
    // One comparison per character on the usual path: a new series' values are checked while the
    // code still runs interpreted, where each call per character costs more than the check.
    for (int j = 0, n = v.length(); j < n; j++) {
      char c = v.charAt(j);
      if (c >= '\uD800' && c <= '\uDFFF') {
        if (c <= '\uDBFF' && j + 1 < n && Character.isLowSurrogate(v.charAt(j + 1))) {
          j++;
        } else {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean validName(String s, boolean metric) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || metric && c == ':'
          || i > 0 && c >= '0' && c <= '9';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Go's strconv.ParseFloat for the values Prometheus writes in le/quantile; NaN if invalid. */
  static double parseFloat(String s) {
    switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "+inf", "inf", "+infinity", "infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "nan" -> {
        return Double.NaN;
      }
      default -> {
        try {
          return Double.parseDouble(s);
        } catch (NumberFormatException e) {
          return Double.NaN;
        }
      }
    }
  }

  private Res res(String j, String inst) {
    Res last = lastRes;
    if (last != null && (last.job == j || last.job.equals(j)) && (last.instance == inst || last.instance.equals(inst))) {
      return last; // a target's series nearly all have its own job and instance: no key to build
    }
    lastRes = res(j + '\u0000' + inst, j, inst);
    return lastRes;
  }

  private Res res(String key, String j, String inst) {
    Res r = resources.get(key);
    if (r == null) {
      r = new Res(j, inst, resourceAttributes(j, inst, settings.discoveredLabels()));
      resources.put(key, r);
    }
    return r;
  }

  private Scope scope(Labels lset) {
    boolean any = false;
    for (int i = 0; i < lset.size(); i++) {
      if (lset.name(i).startsWith("otel_scope_")) {
        any = true;
        break;
      }
    }
    if (!any) {
      return defaultScope;
    }
    StringBuilder key = new StringBuilder();
    Attributes attrs = new Attributes();
    for (int i = 0; i < lset.size(); i++) {
      String n = lset.name(i);
      if (n.startsWith("otel_scope_")) {
        key.append(n).append('=').append(lset.value(i)).append('\u0000');
        if (!n.equals("otel_scope_name") && !n.equals("otel_scope_version") && !n.equals("otel_scope_schema_url")) {
          attrs.put(n.substring("otel_scope_".length()), lset.value(i));
        }
      }
    }
    String k = key.toString();
    Scope sc = scopes.get(k);
    if (sc == null) {
      sc = new Scope(lset.get("otel_scope_name"), lset.get("otel_scope_version"), lset.get("otel_scope_schema_url"),
          attrs);
      scopes.put(k, sc);
    }
    return sc;
  }

  /** otelcol's CreateResource: service.name, server.address, service.instance.id, server.port, url.scheme, k8s. */
  static Attributes resourceAttributes(String job, String instance, Labels discovered) {
    String host = instance;
    String port = "";
    int colon = instance.lastIndexOf(':');
    if (instance.startsWith("[")) {
      int close = instance.indexOf(']');
      if (close > 0 && close + 1 < instance.length() && instance.charAt(close + 1) == ':') {
        host = instance.substring(1, close);
        port = instance.substring(close + 2);
      }
    } else if (colon > 0 && instance.indexOf(':') == colon) {
      host = instance.substring(0, colon);
      port = instance.substring(colon + 1);
    }
    Attributes a = new Attributes(8);
    a.put("service.name", job);
    if (discernible(host)) {
      a.put("server.address", host);
    }
    a.put("service.instance.id", instance);
    a.put("server.port", port);
    a.put("url.scheme", discovered.get("__scheme__"));
    k8s(a, discovered);
    return a;
  }

  private static boolean discernible(String host) {
    if (host.equals("localhost")) {
      return false;
    }
    if (looksLikeIp(host)) {
      try {
        InetAddress ip = InetAddress.getByName(host);
        return !ip.isLoopbackAddress() && !ip.isAnyLocalAddress();
      } catch (java.net.UnknownHostException e) {
        return true;
      }
    }
    return true;
  }

  private static boolean looksLikeIp(String host) {
    if (host.isEmpty()) {
      return false;
    }
    if (host.indexOf(':') >= 0) {
      return true;
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (!(c >= '0' && c <= '9' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  private static void k8s(Attributes a, Labels d) {
    putIf(a, "k8s.pod.name", d.get("__meta_kubernetes_pod_name"));
    putIf(a, "k8s.pod.uid", d.get("__meta_kubernetes_pod_uid"));
    putIf(a, "k8s.container.name", d.get("__meta_kubernetes_pod_container_name"));
    putIf(a, "k8s.namespace.name", d.get("__meta_kubernetes_namespace"));
    String node = d.get("__meta_kubernetes_pod_node_name");
    if (node.isEmpty()) {
      node = d.get("__meta_kubernetes_node_name");
    }
    if (node.isEmpty()) {
      node = d.get("__meta_kubernetes_endpoint_node_name");
    }
    putIf(a, "k8s.node.name", node);
    String kind = d.get("__meta_kubernetes_pod_controller_kind");
    String name = d.get("__meta_kubernetes_pod_controller_name");
    switch (kind) {
      case "ReplicaSet" -> putIf(a, "k8s.replicaset.name", name);
      case "DaemonSet" -> putIf(a, "k8s.daemonset.name", name);
      case "StatefulSet" -> putIf(a, "k8s.statefulset.name", name);
      case "Job" -> putIf(a, "k8s.job.name", name);
      case "CronJob" -> putIf(a, "k8s.cronjob.name", name);
      default -> {
        // no controller attribute
      }
    }
  }

  private static void putIf(Attributes a, String key, String value) {
    if (!value.isEmpty()) {
      a.put(key, value);
    }
  }

  // ---------------------------------------------------------------- finishing a scrape

  /** The values of the synthetic series of one scrape. */
  public record Report(boolean up, double durationSeconds) {}

  /**
   * Finishes a successful scrape: staleness markers for series that left the output, the synthetic
   * series, and the batch (null when empty).
   */
  public MetricsBatch commit(Report r) {
    for (int i = 0; i < prevSeen.size(); i++) {
      Series s = prevSeen.get(i);
      if (s.lastIter != (int) iter) {
        stale(s, scrapeTimeMs);
      }
    }
    int current = (int) iter;
    cache.<Series>removeIf(s -> s.lastIter != current);
    ArrayList<Series> t = prevSeen;
    prevSeen = seen;
    seen = t;
    seen.clear();
    report(r, samplesScraped, samplesPost, seriesAdded);
    gc();
    return build();
  }

  /**
   * Finishes a failed scrape, plus the synthetic series with up=0. Nothing of the failed body is
   * sent; the scrape_samples_* and scrape_series_added series report what was parsed of it before
   * the failure, as Prometheus reports them (0 when no body was read).
   *
   * <p>Staleness as in Prometheus 2.42, which tracks every series it appended before the error and
   * then runs an empty append: a series of the last scrape gets a marker unless the failed body
   * had it before the failure (a parse error at the end of the body marks nothing but the broken
   * line; a connection error, timeout or bad status marks everything). The series the failed body
   * had become the reference for the next scrape.
   */
  public MetricsBatch fail(Report r) {
    long failed = iter;
    iter++;
    active.clear();
    for (int i = 0; i < prevSeen.size(); i++) {
      Series s = prevSeen.get(i);
      if (s.seenIter != (int) failed) {
        stale(s, scrapeTimeMs);
      }
    }
    ArrayList<Series> t = prevSeen;
    prevSeen = seen;
    seen = t;
    seen.clear();
    report(r, samplesScraped, samplesPost, seriesAdded);
    return build();
  }

  /** The target left discovery: staleness markers for all its series, synthetic ones included. */
  public MetricsBatch stop(long timeMs) {
    iter++;
    scrapeTimeMs = timeMs;
    active.clear();
    for (int i = 0; i < prevSeen.size(); i++) {
      stale(prevSeen.get(i), timeMs);
    }
    prevSeen.clear();
    for (Series s : report) {
      if (s.group.hasRef || s.group.iter >= 0) {
        stale(s, timeMs);
      }
    }
    cache.clear();
    return build();
  }

  private void report(Report r, int scraped, int post, int added) {
    double[] values = {r.up() ? 1 : 0, r.durationSeconds(), scraped, post, added};
    for (int i = 0; i < report.length; i++) {
      Group g = touch(report[i].group);
      g.tsMs = scrapeTimeMs;
      g.value = values[i];
      g.hasValue = true;
    }
  }

  private void stale(Series s, long timeMs) {
    if (s.group == null) {
      return;
    }
    if (s.role != Role.VALUE && s.role != Role.COUNT && s.role != Role.SUM) {
      return;
    }
    Group g = touch(s.group);
    if (g.hasValue || g.hasCount) {
      return;
    }
    g.stale = true;
    g.tsMs = timeMs;
  }

  private void gc() {
    if (scrapeTimeMs - lastGcMs < idleMs) {
      return;
    }
    lastGcMs = scrapeTimeMs;
    lastFamily = null;
    long cutoff = scrapeTimeMs - idleMs;
    Iterator<Family> fi = families.values().iterator();
    while (fi.hasNext()) {
      Family f = fi.next();
      f.groups.values().removeIf(g -> g.lastTouchedMs < cutoff && g.iter != iter);
      if (f.groups.isEmpty()) {
        fi.remove();
      }
    }
  }

  private MetricsBatch build() {
    if (active.isEmpty()) {
      return null;
    }
    MetricsBatch batch = new MetricsBatch();
    ArrayList<Res> resKeys = new ArrayList<>(1);
    ArrayList<ResourceMetrics> rms = new ArrayList<>(1);
    for (int fi = 0; fi < active.size(); fi++) {
      Family f = active.get(fi);
      Metric m = newMetric(f);
      for (int gi = 0; gi < f.active.size(); gi++) {
        DataPoint p = point(f, f.active.get(gi));
        if (p != null) {
          m.points().add(p);
        }
      }
      if (m.points().isEmpty()) {
        continue;
      }
      int ri = resKeys.indexOf(f.res);
      ResourceMetrics rm;
      if (ri < 0) {
        Attributes ra = f.res.base.copy();
        Labels ti = f.res.targetInfo;
        for (int i = 0; i < ti.size(); i++) {
          ra.put(ti.name(i), ti.value(i));
        }
        rm = batch.addResource(ra);
        resKeys.add(f.res);
        rms.add(rm);
      } else {
        rm = rms.get(ri);
      }
      scopeMetrics(rm, f.scope).metrics().add(m);
    }
    return batch.resourceMetrics().isEmpty() ? null : batch;
  }

  private ScopeMetrics scopeMetrics(ResourceMetrics rm, Scope scope) {
    List<ScopeMetrics> list = rm.scopeMetrics();
    for (int i = 0; i < list.size(); i++) {
      ScopeMetrics sm = list.get(i);
      if (sm.name().equals(scope.name) && sm.version().equals(scope.version)
          && sm.schemaUrl().equals(scope.schemaUrl) && sameAttributes(sm, scope)) {
        return sm;
      }
    }
    ScopeMetrics sm = rm.addScope(scope.name, scope.version);
    sm.setSchemaUrl(scope.schemaUrl);
    sm.attributes().putAll(scope.attributes);
    if (scope.infoAttributes != null) {
      sm.attributes().putAll(scope.infoAttributes);
    }
    return sm;
  }

  private static boolean sameAttributes(ScopeMetrics sm, Scope scope) {
    Attributes expected = scope.attributes.copy();
    if (scope.infoAttributes != null) {
      expected.putAll(scope.infoAttributes);
    }
    return sm.attributes().equals(expected);
  }

  private Metric newMetric(Family f) {
    String name = f.name;
    Meta meta = f.meta;
    if (settings.trimMetricSuffixes()) {
      if (f.kind == Kind.SUM_MONOTONIC && name.endsWith("_total")) {
        name = name.substring(0, name.length() - "_total".length());
      }
      if (!meta.unit.isEmpty() && name.endsWith("_" + meta.unit)) {
        name = name.substring(0, name.length() - meta.unit.length() - 1);
      }
    }
    Metric m = switch (f.kind) {
      case SUM_MONOTONIC -> Metric.sum(name, Temporality.CUMULATIVE, true);
      case SUM -> Metric.sum(name, Temporality.CUMULATIVE, false);
      case HISTOGRAM -> new Metric(name, dev.otelcoljava.runtime.api.data.MetricType.HISTOGRAM);
      case SUMMARY -> new Metric(name, dev.otelcoljava.runtime.api.data.MetricType.SUMMARY);
      default -> Metric.gauge(name);
    };
    m.setDescription(meta.help);
    m.setUnit(Units.toUcum(meta.unit));
    m.metadata().put("prometheus.type", f.promType);
    return m;
  }

  private DataPoint point(Family f, Group g) {
    long tsNanos = g.tsMs * 1_000_000L;
    switch (f.kind) {
      case HISTOGRAM -> {
        return histogramPoint(g, tsNanos);
      }
      case SUMMARY -> {
        return summaryPoint(g, tsNanos);
      }
      default -> {
        if (!g.hasValue && !g.stale) {
          return null;
        }
        NumberPoint p = new NumberPoint();
        p.setAttributes(g.attributes());
        p.setTimeNanos(tsNanos);
        if (g.stale) {
          p.setNoRecordedValue(true);
        } else {
          p.setDoubleValue(g.value);
        }
        if (f.kind != Kind.GAUGE) {
          p.setStartTimeNanos(start(g, tsNanos, g.value, 0, 0));
        }
        exemplars(g, p);
        return p;
      }
    }
  }

  private HistogramPoint histogramPoint(Group g, long tsNanos) {
    if (!g.hasCount && !g.stale) {
      return null;
    }
    HistogramPoint p = new HistogramPoint();
    p.setAttributes(g.attributes());
    p.setTimeNanos(tsNanos);
    if (g.stale) {
      p.setNoRecordedValue(true);
      p.setBounds(g.lastBounds.clone());
      p.setBucketCounts(new long[g.lastBounds.length + 1]);
      p.setStartTimeNanos(g.hasRef ? g.refStartNanos : tsNanos);
      return p;
    }
    sortBuckets(g);
    g.fitBuckets();
    int n = g.buckets;
    int bucketCount = n + 1;
    if (bucketCount > 1 && g.bounds[n - 1] == Double.POSITIVE_INFINITY) {
      bucketCount--;
    }
    double[] bounds = new double[bucketCount - 1];
    long[] counts = new long[bucketCount];
    for (int i = 0; i < bucketCount - 1; i++) {
      bounds[i] = g.bounds[i];
      double c = g.bucketValues[i];
      if (i != 0) {
        c -= g.bucketValues[i - 1];
      }
      counts[i] = toUnsigned(c);
    }
    double last = g.count;
    if (bucketCount > 1) {
      last -= g.bucketValues[bucketCount - 2];
    }
    counts[bucketCount - 1] = toUnsigned(last);
    p.setCount(toUnsigned(g.count));
    if (g.hasSum) {
      p.setSum(g.sum);
    }
    p.setBounds(bounds);
    p.setBucketCounts(counts);
    if (!Arrays.equals(g.lastBounds, bounds)) {
      g.lastBounds = g.family.shared(bounds);
    }
    p.setStartTimeNanos(start(g, tsNanos, 0, g.count, g.hasSum ? g.sum : 0));
    exemplars(g, p);
    return p;
  }

  private SummaryPoint summaryPoint(Group g, long tsNanos) {
    if (!g.hasCount && !g.stale) {
      return null;
    }
    SummaryPoint p = new SummaryPoint();
    p.setAttributes(g.attributes());
    p.setTimeNanos(tsNanos);
    if (g.stale) {
      // as contrib: the quantiles stay on the stale point (value 0) so that every quantile series
      // gets its staleness marker downstream, not only _sum and _count
      p.setNoRecordedValue(true);
      p.setQuantiles(g.lastBounds.clone(), new double[g.lastBounds.length]);
      p.setStartTimeNanos(g.hasRef ? g.refStartNanos : tsNanos);
      return p;
    }
    sortBuckets(g);
    g.fitBuckets();
    double[] quantiles = g.buckets == 0 ? NO_BOUNDS : Arrays.copyOf(g.bounds, g.buckets);
    p.setQuantiles(quantiles, g.buckets == 0 ? NO_BOUNDS : Arrays.copyOf(g.bucketValues, g.buckets));
    if (!Arrays.equals(g.lastBounds, quantiles)) {
      g.lastBounds = g.family.shared(quantiles.clone());
    }
    p.setCount(toUnsigned(g.count));
    if (g.hasSum) {
      p.setSum(g.sum);
    }
    p.setStartTimeNanos(start(g, tsNanos, 0, g.count, g.hasSum ? g.sum : 0));
    return p;
  }

  private static void exemplars(Group g, DataPoint p) {
    if (g.exemplars != null && !g.exemplars.isEmpty() && !g.stale) {
      for (int i = 0; i < g.exemplars.size(); i++) {
        p.addExemplar(g.exemplars.get(i));
      }
      g.exemplars = null; // ownership passes with the batch
    }
  }

  /** Go's uint64(float64) for the counts Prometheus exposes (negative and NaN become 0). */
  private static long toUnsigned(double v) {
    if (!(v > 0)) {
      return 0;
    }
    return (long) v;
  }

  private static void sortBuckets(Group g) {
    // insertion sort: buckets nearly always arrive sorted
    for (int i = 1; i < g.buckets; i++) {
      double b = g.bounds[i];
      double v = g.bucketValues[i];
      int j = i - 1;
      while (j >= 0 && g.bounds[j] > b) {
        g.bounds[j + 1] = g.bounds[j];
        g.bucketValues[j + 1] = g.bucketValues[j];
        j--;
      }
      g.bounds[j + 1] = b;
      g.bucketValues[j + 1] = v;
    }
  }

  /**
   * The start time of a cumulative point: from {@code _created} when present, else the contrib ≤
   * v0.142 adjuster: the first point of a series is the reference (start = its own time); a reset
   * (value, count or sum decreasing) makes the resetting point the new reference.
   */
  private long start(Group g, long tsNanos, double value, double count, double sum) {
    boolean isSum = g.family.kind == Kind.SUM_MONOTONIC || g.family.kind == Kind.SUM;
    if (g.created != 0) {
      long createdNanos = secondsToNanos(g.created);
      g.hasRef = true;
      g.refStartNanos = createdNanos;
      g.prevValue = value;
      g.prevCount = count;
      g.prevSum = sum;
      return createdNanos;
    }
    if (!g.hasRef) {
      g.hasRef = true;
      g.refStartNanos = tsNanos;
      g.prevValue = value;
      g.prevCount = count;
      g.prevSum = sum;
      return tsNanos;
    }
    boolean reset = isSum ? value < g.prevValue : count < g.prevCount || sum < g.prevSum;
    g.prevValue = value;
    g.prevCount = count;
    g.prevSum = sum;
    if (reset) {
      g.refStartNanos = tsNanos;
      return tsNanos;
    }
    return g.refStartNanos;
  }

  private static long secondsToNanos(double seconds) {
    long secs = (long) seconds;
    long nanos = (long) ((seconds - secs) * 1e9);
    return secs * 1_000_000_000L + nanos;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
