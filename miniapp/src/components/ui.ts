/**
 * The NutUI React Taro components the app uses, each with its own stylesheet, so the bundle carries only these
 * (the library's full stylesheet would cost the main package ~300 KB).
 */
import '@nutui/nutui-react-taro/dist/es/packages/button/style/style.css';
import '@nutui/nutui-react-taro/dist/es/packages/cell/style/style.css';
import '@nutui/nutui-react-taro/dist/es/packages/cellgroup/style/style.css';
import '@nutui/nutui-react-taro/dist/es/packages/skeleton/style/style.css';
import '@nutui/nutui-react-taro/dist/es/packages/empty/style/style.css';
import '@nutui/nutui-react-taro/dist/es/packages/tabs/style/style.css';
import '@nutui/nutui-react-taro/dist/es/packages/tabpane/style/style.css';
import '@nutui/nutui-react-taro/dist/es/packages/progress/style/style.css';
import '@nutui/nutui-react-taro/dist/es/packages/tag/style/style.css';
import '@nutui/nutui-react-taro/dist/es/packages/switch/style/style.css';
import '@nutui/nutui-react-taro/dist/es/packages/inputnumber/style/style.css';
import '@nutui/nutui-react-taro/dist/es/packages/input/style/style.css';
import '@nutui/nutui-react-taro/dist/es/packages/noticebar/style/style.css';

export {
  Button,
  Cell,
  CellGroup,
  Skeleton,
  Empty,
  Tabs,
  TabPane,
  Progress,
  Tag,
  Switch,
  InputNumber,
  Input,
  NoticeBar,
} from '@nutui/nutui-react-taro';
