import { useMemo } from 'react';
import { Image } from '@tarojs/components';
import { barcodeSvg, qrSvg, svgDataUrl } from '../logic/codes';

interface Props {
  value: string;
  kind: 'qr' | 'bar';
  className?: string;
}

/** A scannable code drawn as SVG in one image: the same picture on WeChat and in the browser. */
export function CodeImage({ value, kind, className }: Props) {
  const src = useMemo(
    () => svgDataUrl(kind === 'qr' ? qrSvg(value) : barcodeSvg(value)),
    [value, kind],
  );
  return (
    <Image
      className={className}
      src={src}
      // The box is sized by the page (square for a QR): fill it. Taro's H5 aspectFit leaves the picture at its
      // intrinsic size, off-centre (a 104 px QR in a 208 px box).
      mode="scaleToFill"
      aria-label={kind === 'qr' ? '二维码' : '条形码'}
      data-code={value}
    />
  );
}
