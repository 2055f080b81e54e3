import { Button as WxButton, Image, Text, View } from '@tarojs/components';
import { avatarFromWechat, pickAvatarInBrowser } from '../api/avatar';
import { showError } from './feedback';
import './AvatarPicker.scss';

interface Props {
  value: string | null;
  /** Shown in the circle when there is no picture yet. */
  fallback: string;
  onChange: (dataUrl: string) => void;
}

/**
 * The member's avatar: on WeChat the official chooser (`open-type="chooseAvatar"`: their WeChat picture or a
 * photo), in the browser build a file picker. Either way a small square picture as a data URL.
 */
export function AvatarPicker({ value, fallback, onChange }: Props) {
  const face = value ? (
    <Image className="avatar-picker__img" src={value} mode="aspectFill" />
  ) : (
    <Text className="avatar-picker__fallback">{fallback}</Text>
  );
  const accept = (load: Promise<string | null>) =>
    load.then((url) => url && onChange(url)).catch(showError);
  if (process.env.TARO_ENV === 'weapp') {
    return (
      <WxButton
        className="avatar-picker avatar-picker--button"
        openType="chooseAvatar"
        onChooseAvatar={(e) => {
          const url = (e.detail as { avatarUrl?: string }).avatarUrl;
          if (url) void accept(avatarFromWechat(url));
        }}
      >
        {face}
        <Text className="avatar-picker__hint">点击设置头像</Text>
      </WxButton>
    );
  }
  return (
    <View
      className="avatar-picker"
      data-testid="avatar-picker"
      onClick={() => void accept(pickAvatarInBrowser())}
    >
      {face}
      <Text className="avatar-picker__hint">点击设置头像</Text>
    </View>
  );
}
