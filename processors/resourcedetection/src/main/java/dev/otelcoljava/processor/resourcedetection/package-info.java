/**
 * The {@code resource_detection} processor (old type {@code resourcedetection}): detects resource
 * attributes once at start (detectors {@code env}, {@code system}, {@code ecs}, {@code ec2}, {@code
 * eks}, all concurrently, bounded by {@code timeout}) and adds them to the resource of every batch,
 * replacing existing values when {@code override} is true (the default). For a key found by several
 * detectors the first detector in the list wins. A detector that fails is logged and skipped.
 */
package dev.otelcoljava.processor.resourcedetection;
