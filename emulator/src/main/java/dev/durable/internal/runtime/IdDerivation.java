package dev.durable.internal.runtime;

import dev.durable.DurableObjectId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes and checks ids as Miniflare does: the key is SHA-256 of the namespace id; an id is 16
 * bytes (HMAC of the name, or random) followed by the first 16 bytes of the HMAC of those 16
 * bytes, printed as 64 lowercase hex digits. Public for tools that work on state directories: a
 * migration that renames a class re-keys its objects with it.
 */
public final class IdDerivation {
  private static final HexFormat HEX = HexFormat.of();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Initialized once; each use works on a clone (cheaper than a lookup and an init). */
  private final Mac prototype;

  /** Ids of the namespace with this id ({@code <script>-<Class>}). */
  public IdDerivation(String namespaceId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(namespaceId.getBytes(StandardCharsets.UTF_8));
      this.prototype = Mac.getInstance("HmacSHA256");
      prototype.init(new SecretKeySpec(digest, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 or HmacSHA256 is missing from this JDK", e);
    }
  }

  /** The id of the object with this name. */
  public DurableObjectId fromName(String name) {
    if (name == null) {
      throw new IllegalArgumentException("Durable Object name must not be null");
    }
    byte[] head = Arrays.copyOf(hmac(name.getBytes(StandardCharsets.UTF_8)), 16);
    return DurableObjectId.of(withMac(head), name);
  }

  DurableObjectId unique() {
    byte[] head = new byte[16];
    RANDOM.nextBytes(head);
    return DurableObjectId.of(withMac(head), null);
  }

  /** Whether the last 16 bytes of the id are the MAC of its first 16 under this namespace. */
  public boolean isValid(String hex) {
    byte[] bytes = HEX.parseHex(hex);
    byte[] expected = Arrays.copyOf(hmac(Arrays.copyOf(bytes, 16)), 16);
    return MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, 16, 32));
  }

  /**
   * The id in this namespace with the same first 16 bytes as {@code hex}, an id of any namespace:
   * how an unnamed object keeps its identity when its class is renamed.
   */
  public DurableObjectId reissue(String hex) {
    DurableObjectId.of(hex, null); // refuses anything but 64 lowercase hex digits
    return DurableObjectId.of(withMac(Arrays.copyOf(HEX.parseHex(hex), 16)), null);
  }

  private String withMac(byte[] head) {
    byte[] mac = Arrays.copyOf(hmac(head), 16);
    return HEX.formatHex(head) + HEX.formatHex(mac);
  }

  private byte[] hmac(byte[] data) {
    try {
      return ((Mac) prototype.clone()).doFinal(data);
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("This JDK's HmacSHA256 cannot be cloned", e);
    }
  }
}
