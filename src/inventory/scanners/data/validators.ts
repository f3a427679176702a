// Checksum and shape validators for personal-data candidates: a regex finds a candidate, the
// validator decides. These keep random numbers (order ids, timestamps) from being reported as
// card numbers or national ids. Named in policies/data/detectors.json by their key.

const digitsOf = (s: string): string => s.replace(/\D/g, "");

/** ISO/IEC 7812 payment card: 13-19 digits, issuer prefix 2-6, Luhn check digit. */
export function luhn(candidate: string): boolean {
  const d = digitsOf(candidate);
  if (d.length < 13 || d.length > 19) return false;
  if (!/^[2-6]/.test(d)) return false;
  if (/^(\d)\1+$/.test(d)) return false; // 4444... passes Luhn for some lengths; no issuer uses it
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let n = d.charCodeAt(d.length - 1 - i) - 48;
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

/** ISO 13616 IBAN: country letters, two check digits, ISO 7064 MOD 97-10 over the rearranged number. */
export function iban(candidate: string): boolean {
  const s = candidate.replace(/ /g, "").toUpperCase();
  if (s.length < 15 || s.length > 34 || !/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(s)) return false;
  const rearranged = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const v = code >= 65 ? String(code - 55) : ch;
    for (const digit of v) rem = (rem * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

/** Dutch BSN: 9 digits, sum of digit*(9..2) minus the last digit is a multiple of 11 (the 11-check). */
export function bsn(candidate: string): boolean {
  const d = digitsOf(candidate);
  if (d.length !== 9 || /^0+$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (d.charCodeAt(i) - 48) * (9 - i);
  sum -= d.charCodeAt(8) - 48;
  return sum % 11 === 0;
}

const NINO_UNALLOCATED = new Set(["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"]);

/** UK National Insurance number: two prefix letters (with HMRC's exclusions), six digits, suffix A-D. */
export function nino(candidate: string): boolean {
  const s = candidate.replace(/ /g, "").toUpperCase();
  if (!/^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$/.test(s)) return false;
  return !NINO_UNALLOCATED.has(s.slice(0, 2));
}

/** US SSN shape: area 001-899 except 666, group 01-99, serial 0001-9999. */
export function ssn(candidate: string): boolean {
  const m = /^(\d{3})-(\d{2})-(\d{4})$/.exec(candidate);
  if (!m) return false;
  const [area, group, serial] = [m[1]!, m[2]!, m[3]!];
  if (area === "000" || area === "666" || area[0] === "9") return false;
  return group !== "00" && serial !== "0000";
}

/** A phone number: 9 to 15 digits (E.164 allows at most 15). */
export function phone(candidate: string): boolean {
  const d = digitsOf(candidate);
  return d.length >= 9 && d.length <= 15 && !/^(\d)\1+$/.test(d);
}

/** An IPv4 address of someone: not the unspecified or broadcast address, not a version-like 1.0.0.0. */
export function ipv4(candidate: string): boolean {
  const parts = candidate.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return false;
  if (candidate === "0.0.0.0" || candidate === "255.255.255.255") return false;
  return parts[0] !== 0;
}

export const VALIDATORS: Readonly<Record<string, (candidate: string) => boolean>> = {
  luhn,
  iban,
  bsn,
  nino,
  ssn,
  phone,
  ipv4,
};
