import { Form, InputNumber } from 'antd';
import type { ReactNode } from 'react';

/** A form field's name: a key, or a path inside a Form.List row. */
type Name = string | (string | number)[];

interface ItemProps {
  name: Name;
  label?: ReactNode;
  /** The input's accessible name, where the label is not shown (a row of a list). */
  ariaLabel?: string;
  disabled?: boolean;
  /** In a table cell: no label, no space below. */
  inCell?: boolean;
}

const itemProps = ({ name, label, inCell }: ItemProps) => ({
  name,
  label: inCell ? undefined : label,
  style: inCell ? { marginBottom: 0 } : undefined,
});

/** A tier's points multiplier (1 … 10), as on the tier page. */
export function TierMultiplierItem({
  label = '积分倍数',
  ariaLabel,
  disabled,
  ...rest
}: ItemProps) {
  return (
    <Form.Item {...itemProps({ label, ...rest })}>
      <InputNumber aria-label={ariaLabel} min={1} max={10} step={0.1} disabled={disabled} />
    </Form.Item>
  );
}

/** The growth a tier is reached at, as on the tier page. */
export function TierThresholdItem({
  label = '升级成长值',
  ariaLabel,
  disabled,
  ...rest
}: ItemProps) {
  return (
    <Form.Item {...itemProps({ label, ...rest })}>
      <InputNumber aria-label={ariaLabel} min={0} precision={0} disabled={disabled} />
    </Form.Item>
  );
}

/** A member day's multiplier on order points (on top of the tier's), as on the member day form. */
export function MemberDayMultiplierItem({
  label = '消费积分倍数',
  ariaLabel,
  disabled,
  ...rest
}: ItemProps) {
  return (
    <Form.Item {...itemProps({ label, ...rest })}>
      <InputNumber
        aria-label={ariaLabel}
        min={1}
        max={10}
        step={0.5}
        addonAfter="倍"
        disabled={disabled}
      />
    </Form.Item>
  );
}
