import { describe, expect, it } from "vitest";
import { appendForwardedFor, clientAddressFrom, hostOfHeader, isLoopbackAddress, isLoopbackHost, rateLimitSubject } from "@/lib/net/address";

const withXff = (value?: string) => new Headers(value === undefined ? {} : { "x-forwarded-for": value });

describe("clientAddressFrom", () => {
  it("takes the right-most entry, which the portal's server appended from the socket", () => {
    // A client that sends its own header names itself first; the server appends the real peer.
    const headers = withXff(appendForwardedFor("127.0.0.1, 10.0.0.1", "203.0.113.7"));
    expect(clientAddressFrom(headers, 0)).toBe("203.0.113.7");
  });

  it("skips one entry per trusted proxy", () => {
    // client → proxy (appends the client) → portal (appends the proxy)
    const headers = withXff("6.6.6.6, 198.51.100.4, 10.0.0.2");
    expect(clientAddressFrom(headers, 1)).toBe("198.51.100.4");
    expect(clientAddressFrom(headers, 2)).toBe("6.6.6.6");
    expect(clientAddressFrom(headers, 5)).toBe("6.6.6.6");
  });

  it("normalises IPv4-mapped addresses and has one bucket for no header", () => {
    expect(clientAddressFrom(withXff("::ffff:127.0.0.1"), 0)).toBe("127.0.0.1");
    expect(clientAddressFrom(withXff(), 0)).toBe("unknown");
    expect(clientAddressFrom(withXff(" , "), 0)).toBe("unknown");
  });
});

describe("appendForwardedFor", () => {
  it("appends to what came in, or starts the list", () => {
    expect(appendForwardedFor(undefined, "127.0.0.1")).toBe("127.0.0.1");
    expect(appendForwardedFor("1.2.3.4", "::1")).toBe("1.2.3.4, ::1");
    expect(appendForwardedFor(["1.2.3.4", "5.6.7.8"], "::1")).toBe("1.2.3.4,5.6.7.8, ::1");
    expect(appendForwardedFor("", undefined)).toBe("unknown");
  });
});

describe("loopback", () => {
  it("knows loopback addresses and names", () => {
    for (const loopback of ["127.0.0.1", "127.3.4.5", "::1", "::ffff:127.0.0.1", "[::1]"]) expect(isLoopbackAddress(loopback)).toBe(true);
    for (const other of ["0.0.0.0", "::", "10.0.0.1", "128.0.0.1", "127.0.0.256", "localhost", "unknown", "::ffff:10.0.0.1"]) {
      expect(isLoopbackAddress(other)).toBe(false);
    }
    for (const host of ["localhost", "LOCALHOST.", "app.localhost", "127.0.0.1", "::1"]) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ["0.0.0.0", "::", "example.org", "localhost.example.org", "192.168.1.2"]) expect(isLoopbackHost(host)).toBe(false);
  });

  it("reads the host name of a Host header", () => {
    expect(hostOfHeader("localhost:3000")).toBe("localhost");
    expect(hostOfHeader("[::1]:3000")).toBe("::1");
    expect(hostOfHeader("evil.example")).toBe("evil.example");
  });
});

describe("rateLimitSubject", () => {
  it("keys an IPv6 address on its /64, however it is written", () => {
    expect(rateLimitSubject("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(rateLimitSubject("2001:0DB8:0001:0002::1")).toBe("2001:db8:1:2::/64");
    expect(rateLimitSubject("[2001:db8:1:2::ffff]")).toBe("2001:db8:1:2::/64");
    expect(rateLimitSubject("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(rateLimitSubject("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(rateLimitSubject("2001:db8:1:3::1")).not.toBe(rateLimitSubject("2001:db8:1:2::1"));
  });

  it("keys an IPv4-mapped IPv6 address as the IPv4 address, and leaves IPv4 and unknown alone", () => {
    expect(rateLimitSubject("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(rateLimitSubject("::ffff:cb00:7107")).toBe("203.0.113.7");
    expect(rateLimitSubject("203.0.113.7")).toBe("203.0.113.7");
    expect(rateLimitSubject("unknown")).toBe("unknown");
    expect(rateLimitSubject("1:2:3")).toBe("1:2:3"); // not an address: kept whole
  });
});
