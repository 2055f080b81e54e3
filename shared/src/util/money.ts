/** Fen as the shopper reads it: "¥20" for whole yuan, "¥19.90" otherwise. */
export function formatYuan(fen: number): string {
  const yuan = fen / 100;
  return `¥${Number.isInteger(yuan) ? yuan : yuan.toFixed(2)}`;
}

/** A percent-off coupon as Chinese shoppers name it: 15 % off is "8.5折", 20 % off "8折". */
export function discountLabel(percentOff: number): string {
  const rate = (100 - percentOff) / 10;
  return `${Number.isInteger(rate) ? rate : rate.toFixed(1)}折`;
}
