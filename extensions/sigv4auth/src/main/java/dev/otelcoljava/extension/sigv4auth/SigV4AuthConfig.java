package dev.otelcoljava.extension.sigv4auth;

import dev.otelcoljava.runtime.api.config.ConfigNode;

/**
 * The {@code sigv4auth} extension's config, as otelcol-contrib's sigv4authextension reads it.
 *
 * @param region the signing region; empty: {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, then
 *     inferred from the request host
 * @param service the signing name; empty: inferred from the request host ({@code aps} for AMP)
 * @param assumeRole the role to assume, or {@link AssumeRole#NONE}
 */
public record SigV4AuthConfig(String region, String service, AssumeRole assumeRole) {

  /**
   * {@code assume_role}: {@code arn}, {@code session_name}, {@code sts_region} (default: region),
   * {@code web_identity_token_file} and {@code external_id}.
   */
  public record AssumeRole(
      String arn, String sessionName, String stsRegion, String webIdentityTokenFile, String externalId) {
    public static final AssumeRole NONE = new AssumeRole("", "", "", "", "");

    boolean enabled() {
      return !arn.isEmpty();
    }
  }

  /** The default: every key empty (region and service resolved per request). */
  public static SigV4AuthConfig defaults() {
    return new SigV4AuthConfig("", "", AssumeRole.NONE);
  }

  /** Reads the config and reports every problem through the node. */
  static SigV4AuthConfig read(ConfigNode node) {
    String region = node.string("region", "").trim();
    String service = node.string("service", "").trim();
    ConfigNode ar = node.get("assume_role");
    String arn = ar.string("arn", "").trim();
    String sessionName = ar.string("session_name", "").trim();
    String stsRegion = ar.string("sts_region", "").trim();
    String tokenFile = ar.string("web_identity_token_file", "").trim();
    String externalId = ar.string("external_id", "").trim();
    if (stsRegion.isEmpty()) {
      stsRegion = region;
    }
    if (!tokenFile.isEmpty() && arn.isEmpty()) {
      ar.error("must specify ARN when using WebIdentityTokenFile; set assume_role::arn");
    }
    if (!arn.isEmpty() && !arn.startsWith("arn:")) {
      ar.error("arn", "\"" + arn + "\" is not an ARN; expected arn:aws:iam::<account>:role/<name>");
    }
    return new SigV4AuthConfig(region, service,
        new AssumeRole(arn, sessionName, stsRegion, tokenFile, externalId));
  }
}
