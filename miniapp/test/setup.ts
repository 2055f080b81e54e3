// What Taro's build defines at compile time, for code run straight from source.
process.env.TARO_ENV = 'h5';
