import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import './SegmentTabs.scss';

interface Props<T extends string> {
  options: ReadonlyArray<{ value: T; label: string }>;
  value: T;
  onChange: (value: T) => void;
  /** underline: tabs across a white bar; chips: rounded filters on the grey page. */
  variant?: 'underline' | 'chips';
  /** Something on the right of the bar (a link). */
  extra?: ReactNode;
}

/** One row of choices: the wallet's tabs, the leaderboards, the mall's filters. */
export function SegmentTabs<T extends string>({
  options,
  value,
  onChange,
  variant = 'underline',
  extra,
}: Props<T>) {
  return (
    <View className={`segments segments--${variant}`}>
      {options.map((o) => (
        <Text
          key={o.value}
          className={`segments__item ${o.value === value ? 'segments__item--on' : ''}`}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </Text>
      ))}
      {extra ? <View className="segments__extra">{extra}</View> : null}
    </View>
  );
}
