/**
 * The {@code statsd} receiver, as in otelcol-contrib: counters, gauges, timers, histograms and
 * distributions (observed as gauges, summaries or exponential histograms), sample rates, DogStatsD tags,
 * container ids and timestamps. Explicit-bucket histograms are refused at config load (not
 * implemented yet).
 */
package dev.otelcoljava.receiver.statsd;
