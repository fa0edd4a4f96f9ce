// The organisation's name, tagline and logo, from the data block the server writes into every page (the
// server renderer sets it directly), so the client never hard-codes who it is.
import { BRAND_ELEMENT_ID, DEFAULT_BRAND, type Brand } from '../shared/brand';

function fromPage(): Brand {
  if (typeof document === 'undefined') return DEFAULT_BRAND;
  try {
    const text = document.getElementById(BRAND_ELEMENT_ID)?.textContent;
    return text ? { ...DEFAULT_BRAND, ...(JSON.parse(text) as Partial<Brand>) } : DEFAULT_BRAND;
  } catch {
    return DEFAULT_BRAND;
  }
}

let current = fromPage();

export function brand(): Brand {
  return current;
}

/** For the server renderer, which has no page to read. */
export function setBrand(value: Brand): void {
  current = value;
}
