import { bsn, iban, ipv4, luhn, nino, phone, ssn } from "../../../../src/inventory/scanners/data/validators.js";

describe("checksum and shape validators", () => {
  test("Luhn: test card numbers pass, one digit off fails, non-issuer prefixes fail", () => {
    expect(luhn("4111 1111 1111 1111")).toBe(true);
    expect(luhn("5500-0000-0000-0004")).toBe(true);
    expect(luhn("4111111111111112")).toBe(false);
    expect(luhn("0000000000000000")).toBe(false);
    expect(luhn("1234567890123452")).toBe(false); // prefix 1: no issuer
  });
  test("IBAN mod-97", () => {
    expect(iban("NL91ABNA0417164300")).toBe(true);
    expect(iban("GB82 WEST 1234 5698 7654 32")).toBe(true);
    expect(iban("NL91ABNA0417164301")).toBe(false);
  });
  test("BSN 11-check", () => {
    expect(bsn("111222333")).toBe(true);
    expect(bsn("123456782")).toBe(true);
    expect(bsn("123456789")).toBe(false);
    expect(bsn("000000000")).toBe(false);
  });
  test("NINO prefixes and suffix", () => {
    expect(nino("AB 12 34 56 C")).toBe(true);
    expect(nino("QQ123456C")).toBe(false);
    expect(nino("GB123456A")).toBe(false);
    expect(nino("AB123456E")).toBe(false);
  });
  test("SSN shape", () => {
    expect(ssn("123-45-6789")).toBe(true);
    expect(ssn("000-12-3456")).toBe(false);
    expect(ssn("666-12-3456")).toBe(false);
    expect(ssn("912-12-3456")).toBe(false);
    expect(ssn("123-00-4567")).toBe(false);
  });
  test("phone digit count and IPv4", () => {
    expect(phone("+31 6 12345678")).toBe(true);
    expect(phone("020 12")).toBe(false);
    expect(ipv4("81.204.17.9")).toBe(true);
    expect(ipv4("0.0.0.0")).toBe(false);
    expect(ipv4("256.1.1.1")).toBe(false);
  });
});
