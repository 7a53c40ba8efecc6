package dev.durable;

/**
 * Options of {@link DurableObjectStorage#list(ListOptions)}; all are optional.
 *
 * <pre>{@code
 * storage.list(ListOptions.builder().prefix("user:").limit(10).build())
 * }</pre>
 *
 * @param start first key to include
 * @param startAfter list keys strictly after this one (not together with {@code start})
 * @param end first key to exclude
 * @param prefix only keys with this prefix
 * @param reverse descending order (the limit then takes the last keys)
 * @param limit at most this many entries (positive), or null for all
 */
public record ListOptions(String start, String startAfter, String end, String prefix,
    boolean reverse, Integer limit) {

  /** No options: every key in order. */
  public static ListOptions all() {
    return new ListOptions(null, null, null, null, false, null);
  }

  /** A builder for options. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ListOptions}. */
  public static final class Builder {
    private String start;
    private String startAfter;
    private String end;
    private String prefix;
    private boolean reverse;
    private Integer limit;

    private Builder() {}

    /** First key to include. */
    public Builder start(String start) {
      this.start = start;
      return this;
    }

    /** List keys strictly after this one. */
    public Builder startAfter(String startAfter) {
      this.startAfter = startAfter;
      return this;
    }

    /** First key to exclude. */
    public Builder end(String end) {
      this.end = end;
      return this;
    }

    /** Only keys with this prefix. */
    public Builder prefix(String prefix) {
      this.prefix = prefix;
      return this;
    }

    /** Descending order. */
    public Builder reverse(boolean reverse) {
      this.reverse = reverse;
      return this;
    }

    /** At most this many entries. */
    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    /** The options. */
    public ListOptions build() {
      return new ListOptions(start, startAfter, end, prefix, reverse, limit);
    }
  }
}
