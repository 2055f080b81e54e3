/* Taro's components as plain DOM, enough for the pages' logic to be driven and read. */
import type { ReactNode } from 'react';

type Props = {
  children?: ReactNode;
  className?: string;
  onClick?: () => void;
  [key: string]: unknown;
};
const pass = ({ children, className, onClick, ...rest }: Props) => ({
  className,
  onClick,
  ...Object.fromEntries(
    Object.entries(rest).filter(([k]) => k.startsWith('data-') || k === 'aria-label'),
  ),
  children,
});

export const View = (p: Props) => <div {...pass(p)} />;
export const Text = (p: Props) => <span {...pass(p)} />;
export const Image = (p: Props & { src?: string }) => <img src={p.src} {...pass(p)} />;
export const Button = (p: Props) => <button {...pass(p)} />;
export const Picker = (p: Props & { onChange?: (e: { detail: { value: string } }) => void }) => (
  <div data-picker {...pass(p)} />
);
