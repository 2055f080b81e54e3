import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CARD_CODE_PERIOD_SECONDS } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';

const CARD_NO_LENGTH = 12;
const SIGNATURE_DIGITS = 6;

/**
 * The dynamic member code a clerk scans: card number + a 6-digit HMAC of (card number, 60-second window),
 * all digits so it fits a barcode as well as a QR code. A screenshot stops working within two minutes.
 */
@Injectable()
export class CardCodeService {
  private readonly key: Buffer;
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = createHmac('sha256', config.jwtSecret).update('card-code').digest();
  }

  issue(
    cardNo: string,
    now = Date.now(),
  ): { code: string; expiresAt: Date; refreshInSeconds: number } {
    const window = Math.floor(now / 1000 / CARD_CODE_PERIOD_SECONDS);
    const expiresAt = new Date((window + 1) * CARD_CODE_PERIOD_SECONDS * 1000);
    return {
      code: `${cardNo}${this.sign(cardNo, window)}`,
      expiresAt,
      refreshInSeconds: Math.max(1, Math.ceil((expiresAt.getTime() - now) / 1000)),
    };
  }

  /**
   * The card number the code stands for, or undefined when it is forged or expired. The previous window is still
   * accepted (scan delay).
   */
  verify(code: string, now = Date.now()): string | undefined {
    if (!/^\d+$/.test(code) || code.length !== CARD_NO_LENGTH + SIGNATURE_DIGITS) return undefined;
    const cardNo = code.slice(0, CARD_NO_LENGTH);
    const signature = Buffer.from(code.slice(CARD_NO_LENGTH));
    const window = Math.floor(now / 1000 / CARD_CODE_PERIOD_SECONDS);
    for (const w of [window, window - 1]) {
      if (timingSafeEqual(Buffer.from(this.sign(cardNo, w)), signature)) return cardNo;
    }
    return undefined;
  }

  private sign(cardNo: string, window: number): string {
    const digest = createHmac('sha256', this.key).update(`${cardNo}:${window}`).digest();
    return String(digest.readUInt32BE(0) % 10 ** SIGNATURE_DIGITS).padStart(SIGNATURE_DIGITS, '0');
  }
}

/** A 12-digit card number: 8 + 10 random digits + a Luhn check digit, so a mistyped number is caught at the till. */
export function generateCardNo(random: () => number = Math.random): string {
  let body = '8';
  for (let i = 0; i < 10; i++) body += Math.floor(random() * 10).toString();
  return body + luhnDigit(body);
}

export function luhnDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}
