// Client bundle: hashed file names, source maps, the HTML shell generated with the script tags (no inline code).
const path = require('node:path');
const HtmlWebpackPlugin = require('html-webpack-plugin');

module.exports = (_env, argv) => {
  const production = argv.mode !== 'development';
  return {
    entry: { main: './client/main.tsx' },
    output: {
      path: path.resolve(__dirname, 'dist/client'),
      filename: production ? 'assets/[name].[contenthash:12].js' : 'assets/[name].js',
      chunkFilename: production ? 'assets/[name].[contenthash:12].js' : 'assets/[name].js',
      publicPath: '/',
      clean: true,
    },
    devtool: 'source-map',
    resolve: {
      extensions: ['.tsx', '.ts', '.js'],
      alias: { react: 'preact/compat', 'react-dom': 'preact/compat' },
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          loader: 'ts-loader',
          options: { configFile: path.resolve(__dirname, 'client/tsconfig.json'), transpileOnly: true },
          exclude: /node_modules/,
        },
      ],
    },
    plugins: [new HtmlWebpackPlugin({ template: './client/index.html', scriptLoading: 'defer' })],
    performance: { hints: false },
    stats: 'errors-warnings',
  };
};
