package dev.otelcoljava.processor.resourcedetection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The detectors this processor knows, with their resource attributes and whether each is on by default. */
final class DetectorSpec {
  private DetectorSpec() {}

  /** Detector name to (attribute to enabled by default); env detects free-form keys. */
  static final Map<String, Map<String, Boolean>> ATTRIBUTES = new LinkedHashMap<>();

  /** Detectors of otelcol-contrib that this processor does not implement (their sections load). */
  static final List<String> OTHER_CONTRIB = List.of("akamai", "aks", "alibaba_ecs", "azure",
      "consul", "digitalocean", "docker", "dynatrace", "elastic_beanstalk", "gcp", "heroku",
      "hetzner", "k8snode", "kubeadm", "lambda", "openshift", "openstack_nova", "oraclecloud",
      "scaleway", "tencent_cvm", "upcloud", "vultr");

  static {
    ATTRIBUTES.put("env", Map.of());
    Map<String, Boolean> system = new LinkedHashMap<>();
    system.put("host.name", true);
    system.put("os.type", true);
    for (String a : List.of("host.id", "host.arch", "host.ip", "host.mac", "host.interface",
        "host.cpu.vendor.id", "host.cpu.family", "host.cpu.model.id", "host.cpu.model.name",
        "host.cpu.stepping", "host.cpu.cache.l2.size", "os.description", "os.name", "os.version",
        "os.build.id")) {
      system.put(a, false);
    }
    ATTRIBUTES.put("system", system);
    Map<String, Boolean> ecs = new LinkedHashMap<>();
    for (String a : List.of("cloud.provider", "cloud.platform", "cloud.account.id", "cloud.region",
        "cloud.availability_zone", "aws.ecs.cluster.arn", "aws.ecs.task.arn", "aws.ecs.task.family",
        "aws.ecs.task.id", "aws.ecs.task.revision", "aws.ecs.launchtype", "aws.log.group.names",
        "aws.log.group.arns", "aws.log.stream.names", "aws.log.stream.arns")) {
      ecs.put(a, true);
    }
    ATTRIBUTES.put("ecs", ecs);
    Map<String, Boolean> ec2 = new LinkedHashMap<>();
    for (String a : List.of("cloud.provider", "cloud.platform", "cloud.account.id", "cloud.region",
        "cloud.availability_zone", "host.id", "host.image.id", "host.type", "host.name")) {
      ec2.put(a, true);
    }
    ATTRIBUTES.put("ec2", ec2);
    Map<String, Boolean> eks = new LinkedHashMap<>();
    eks.put("cloud.provider", true);
    eks.put("cloud.platform", true);
    for (String a : List.of("cloud.account.id", "cloud.region", "cloud.availability_zone",
        "host.id", "host.name", "k8s.cluster.name")) {
      eks.put(a, false);
    }
    ATTRIBUTES.put("eks", eks);
  }
}
