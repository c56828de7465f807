package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One remote-write TimeSeries being built: sorted labels ({@code names[i]=values[i]}), float
 * samples, native histograms and exemplars. Not thread-safe; owned by one translation.
 */
public final class PromSeries {
  final String[] names;
  final String[] values;
  final int hash;
  /**
   * The size of the encoded labels when every label name and value is ASCII (each string's UTF-8
   * length is then its length, and the encoder copies its chars without measuring them), else -1.
   * Found by the same pass over the chars that computes the hash ({@link
   * SeriesSet#labelsHashAndSize}).
   */
  final int asciiLabelsSize;
  /**
   * The first sample; nearly every series of a batch has just that one (a scrape's point). Two
   * one-element arrays per series were ~5 % of the bytes the cluster preset allocated.
   */
  private long timestamp0;
  private double value0;
  /** Every sample, once there is a second one (null until then). */
  private long[] timestamps;
  private double[] sampleValues;
  int sampleCount;
  List<NativeHistogram> histograms;
  List<PromExemplar> exemplars;

  PromSeries(String[] names, String[] values, int hash, int asciiLabelsSize) {
    this.names = names;
    this.values = values;
    this.hash = hash;
    this.asciiLabelsSize = asciiLabelsSize;
  }

  /** A stable hash of the labels (the same in every process), used to pick the shard. */
  public int hash() {
    return hash;
  }

  public String[] labelNames() {
    return names;
  }

  public String[] labelValues() {
    return values;
  }

  public int sampleCount() {
    return sampleCount;
  }

  public long timestamp(int i) {
    if (timestamps == null) {
      java.util.Objects.checkIndex(i, sampleCount);
      return timestamp0;
    }
    return timestamps[i];
  }

  public double value(int i) {
    if (sampleValues == null) {
      java.util.Objects.checkIndex(i, sampleCount);
      return value0;
    }
    return sampleValues[i];
  }

  public List<NativeHistogram> histograms() {
    return histograms == null ? List.of() : histograms;
  }

  public List<PromExemplar> exemplars() {
    return exemplars == null ? List.of() : exemplars;
  }

  void addSample(double v, long ts) {
    if (sampleCount == 0) {
      timestamp0 = ts;
      value0 = v;
      sampleCount = 1;
      return;
    }
    if (timestamps == null) {
      timestamps = new long[4];
      sampleValues = new double[4];
      timestamps[0] = timestamp0;
      sampleValues[0] = value0;
    } else if (sampleCount == timestamps.length) {
      timestamps = Arrays.copyOf(timestamps, sampleCount * 2);
      sampleValues = Arrays.copyOf(sampleValues, sampleCount * 2);
    }
    timestamps[sampleCount] = ts;
    sampleValues[sampleCount] = v;
    sampleCount++;
  }

  void addHistogram(NativeHistogram h) {
    if (histograms == null) {
      histograms = new ArrayList<>(1);
    }
    histograms.add(h);
  }

  void addExemplar(PromExemplar e) {
    if (exemplars == null) {
      exemplars = new ArrayList<>(1);
    }
    exemplars.add(e);
  }

  /** Sorts samples and histograms by timestamp (stable), as remote write requires. */
  void sortByTime() {
    if (timestamps == null) {
      sortHistograms();
      return;
    }
    boolean sorted = true;
    for (int i = 1; i < sampleCount; i++) {
      if (timestamps[i] < timestamps[i - 1]) {
        sorted = false;
        break;
      }
    }
    if (!sorted) {
      Integer[] idx = new Integer[sampleCount];
      for (int i = 0; i < sampleCount; i++) {
        idx[i] = i;
      }
      long[] ts = timestamps;
      Arrays.sort(idx, (a, b) -> Long.compare(ts[a], ts[b]));
      long[] nt = new long[sampleCount];
      double[] nv = new double[sampleCount];
      for (int i = 0; i < sampleCount; i++) {
        nt[i] = timestamps[idx[i]];
        nv[i] = sampleValues[idx[i]];
      }
      timestamps = nt;
      sampleValues = nv;
    }
    sortHistograms();
  }

  private void sortHistograms() {
    if (histograms != null && histograms.size() > 1) {
      histograms.sort((a, b) -> Long.compare(a.timestamp, b.timestamp));
    }
  }

  /** The series in Prometheus text form, e.g. {@code {__name__="x", a="b"} 1 @1000}, for tests and logs. */
  public String labelsText() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(names[i]).append("=\"").append(values[i]).append('"');
    }
    return sb.append('}').toString();
  }

  /** A native histogram in remote write 1.0's Histogram message (integer counts). */
  public static final class NativeHistogram {
    public long countBits;
    public boolean countIsStaleBits;
    public double sum;
    public int schema;
    public double zeroThreshold;
    public long zeroCount;
    public int[] negSpanOffsets = new int[0];
    public int[] negSpanLengths = new int[0];
    public long[] negDeltas = new long[0];
    public int[] posSpanOffsets = new int[0];
    public int[] posSpanLengths = new int[0];
    public long[] posDeltas = new long[0];
    public long timestamp;
  }

  /** An exemplar: labels in insertion order, value and timestamp in ms. */
  public record PromExemplar(String[] names, String[] values, double value, long timestamp) {}
}
