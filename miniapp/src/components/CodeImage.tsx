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
      mode={kind === 'qr' ? 'aspectFit' : 'scaleToFill'}
      aria-label={kind === 'qr' ? '二维码' : '条形码'}
      data-code={value}
    />
  );
}
