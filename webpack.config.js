// Client bundle: hashed file names, source maps, the HTML shell generated with the script tags (no inline code),
// the stylesheet emitted as a hashed file, and a hard budget on what the homepage downloads.
const path = require('node:path');
const zlib = require('node:zlib');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const { Compilation, WebpackError } = require('webpack');

/** The homepage (visitor feed, sign in, sign up) must stay small; signed-in pages load later as chunks. */
const HOMEPAGE_BUDGET_BYTES = 80 * 1024;

/** Sums the gzipped size of the JavaScript the entry loads up front, prints it, fails the build over budget. */
class HomepageBudgetPlugin {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('HomepageBudgetPlugin', (compilation) => {
      compilation.hooks.processAssets.tap({ name: 'HomepageBudgetPlugin', stage: Compilation.PROCESS_ASSETS_STAGE_ANALYSE }, () => {
        const entry = compilation.entrypoints.get('main');
        const files = entry.getFiles().filter((file) => file.endsWith('.js'));
        let total = 0;
        for (const file of files) total += zlib.gzipSync(compilation.getAsset(file).source.buffer(), { level: 9 }).length;
        const kilobytes = (total / 1024).toFixed(1);
        const line = `Homepage JavaScript: ${kilobytes} KB gzipped (${files.join(', ')}; budget ${HOMEPAGE_BUDGET_BYTES / 1024} KB)`;
        console.log(line);
        if (total > HOMEPAGE_BUDGET_BYTES) compilation.errors.push(new WebpackError(`${line}: over budget`));
      });
    });
  }
}

module.exports = (_env, argv) => {
  const production = argv.mode !== 'development';
  return {
    entry: { main: './client/main.tsx' },
    output: {
      path: path.resolve(__dirname, 'dist/client'),
      filename: production ? 'assets/[name].[contenthash:12].js' : 'assets/[name].js',
      chunkFilename: production ? 'assets/[name].[contenthash:12].js' : 'assets/[name].js',
      assetModuleFilename: production ? 'assets/[name].[contenthash:12][ext]' : 'assets/[name][ext]',
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
        // The CSP forbids inline styles, so the stylesheet is a plain file the HTML shell links to.
        { test: /\.css$/, type: 'asset/resource' },
      ],
    },
    plugins: [new HtmlWebpackPlugin({ template: './client/index.html', scriptLoading: 'defer' }), new HomepageBudgetPlugin()],
    performance: { hints: false },
    stats: 'errors-warnings',
  };
};
