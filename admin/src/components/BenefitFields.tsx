import { Form, InputNumber, type InputNumberProps } from 'antd';
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

function NumberItem({
  name,
  label,
  ariaLabel,
  disabled,
  inCell,
  input,
}: ItemProps & { input: InputNumberProps }) {
  return (
    <Form.Item
      name={name}
      label={inCell ? undefined : label}
      style={inCell ? { marginBottom: 0 } : undefined}
    >
      <InputNumber aria-label={ariaLabel} disabled={disabled} {...input} />
    </Form.Item>
  );
}

/** A tier's points multiplier (1 … 10), as on the tier page. */
export function TierMultiplierItem(props: ItemProps) {
  return (
    <NumberItem
      {...props}
      label={props.label ?? '积分倍数'}
      input={{ min: 1, max: 10, step: 0.1 }}
    />
  );
}

/** The growth a tier is reached at, as on the tier page. */
export function TierThresholdItem(props: ItemProps) {
  return (
    <NumberItem {...props} label={props.label ?? '升级成长值'} input={{ min: 0, precision: 0 }} />
  );
}

/** A member day's multiplier on order points (on top of the tier's), as on the member day form. */
export function MemberDayMultiplierItem(props: ItemProps) {
  return (
    <NumberItem
      {...props}
      label={props.label ?? '消费积分倍数'}
      input={{ min: 1, max: 10, step: 0.5, addonAfter: '倍' }}
    />
  );
}
