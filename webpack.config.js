// Client bundle: hashed file names, source maps, the HTML shell generated with the script tags (no inline code),
// the stylesheet emitted as a hashed file, and a hard budget on what the homepage downloads.
const path = require('node:path');
const zlib = require('node:zlib');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const { Compilation, WebpackError, optimize } = require('webpack');

const { LimitChunkCountPlugin } = optimize;

/** The homepage (visitor feed, sign in, sign up) must stay small; signed-in pages load later as chunks. */
const HOMEPAGE_BUDGET_BYTES = 80 * 1024;

/** What is compressed ahead of time: text assets the browser downloads (not source maps, nobody's browser needs them). */
const COMPRESSIBLE = /\.(js|css|svg)$/;

/**
 * Writes `file.br` and `file.gz` beside every compressible asset, so the server sends ready bytes in the best
 * encoding the browser accepts (server/http/client.ts) instead of compressing per request or not at all.
 */
class PrecompressPlugin {
  apply(compiler) {
    const { RawSource } = compiler.webpack.sources;
    compiler.hooks.thisCompilation.tap('PrecompressPlugin', (compilation) => {
      compilation.hooks.processAssets.tap({ name: 'PrecompressPlugin', stage: Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_TRANSFER }, () => {
        for (const asset of compilation.getAssets()) {
          if (!COMPRESSIBLE.test(asset.name)) continue;
          const bytes = asset.source.buffer();
          const brotli = zlib.brotliCompressSync(bytes, {
            params: { [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
          });
          compilation.emitAsset(`${asset.name}.br`, new RawSource(brotli));
          compilation.emitAsset(`${asset.name}.gz`, new RawSource(zlib.gzipSync(bytes, { level: 9 })));
        }
      });
    });
  }
}

/**
 * Sums what a browser really downloads for the homepage (the entry's JavaScript and the stylesheet), as the
 * server sends it to a browser that accepts gzip (every browser; brotli, smaller, only over HTTPS), prints it
 * with the brotli figure, and fails the build over budget.
 */
class HomepageBudgetPlugin {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('HomepageBudgetPlugin', (compilation) => {
      compilation.hooks.processAssets.tap({ name: 'HomepageBudgetPlugin', stage: Compilation.PROCESS_ASSETS_STAGE_REPORT }, () => {
        const entry = compilation.entrypoints.get('main');
        const files = [...entry.getFiles().filter((file) => file.endsWith('.js')), ...compilation.getAssets().map((asset) => asset.name).filter((name) => name.endsWith('.css'))];
        const sent = (suffix) => files.reduce((sum, file) => sum + compilation.getAsset(`${file}${suffix}`).source.size(), 0);
        const gzipped = sent('.gz');
        const line = `Homepage JavaScript and CSS as sent: ${(gzipped / 1024).toFixed(1)} KB gzip, ${(sent('.br') / 1024).toFixed(1)} KB brotli (${files.join(', ')}; budget ${HOMEPAGE_BUDGET_BYTES / 1024} KB gzip)`;
        console.log(line);
        if (gzipped > HOMEPAGE_BUDGET_BYTES) compilation.errors.push(new WebpackError(`${line}: over budget`));
      });
    });
  }
}

/**
 * The homepage's server renderer (client/ssr.tsx) for Node, one file under dist/client/ssr/ that the server
 * loads: the same components as the browser bundle, without the browser-only live connection.
 */
function serverRenderer(production) {
  return {
    name: 'ssr',
    target: 'node20',
    entry: { render: './client/ssr.tsx' },
    output: { path: path.resolve(__dirname, 'dist/client/ssr'), filename: '[name].js', library: { type: 'commonjs2' }, clean: true },
    mode: production ? 'production' : 'development',
    devtool: false,
    optimization: { minimize: false },
    resolve: {
      extensions: ['.tsx', '.ts', '.js'],
      // Socket.IO's client is only used in effects, which never run on the server.
      alias: { 'socket.io-client': false },
    },
    module: { rules: [typescriptRule, { test: /\.css$/, type: 'asset/resource', generator: { emit: false } }] },
    // Signed-in pages are never rendered on the server: keep them in the one file instead of Node chunks.
    plugins: [new LimitChunkCountPlugin({ maxChunks: 1 })],
    performance: { hints: false },
    stats: 'errors-warnings',
  };
}

const typescriptRule = {
  test: /\.tsx?$/,
  loader: 'ts-loader',
  options: { configFile: path.resolve(__dirname, 'client/tsconfig.json'), transpileOnly: true },
  exclude: /node_modules/,
};

module.exports = (_env, argv) => {
  const production = argv.mode !== 'development';
  const browser = {
    name: 'browser',
    entry: { main: './client/main.tsx' },
    output: {
      path: path.resolve(__dirname, 'dist/client'),
      filename: production ? 'assets/[name].[contenthash:12].js' : 'assets/[name].js',
      chunkFilename: production ? 'assets/[name].[contenthash:12].js' : 'assets/[name].js',
      assetModuleFilename: production ? 'assets/[name].[contenthash:12][ext]' : 'assets/[name][ext]',
      publicPath: '/',
      // The server renderer is built into ssr/ by the other configuration at the same time.
      clean: { keep: /^ssr\// },
    },
    devtool: 'source-map',
    resolve: {
      extensions: ['.tsx', '.ts', '.js'],
      alias: { react: 'preact/compat', 'react-dom': 'preact/compat' },
    },
    module: {
      rules: [
        typescriptRule,
        // The CSP forbids inline styles, so the stylesheet is a plain file the HTML shell links to.
        { test: /\.css$/, type: 'asset/resource' },
      ],
    },
    plugins: [
      new HtmlWebpackPlugin({ template: './client/index.html', scriptLoading: 'defer' }),
      new PrecompressPlugin(),
      new HomepageBudgetPlugin(),
    ],
    performance: { hints: false },
    stats: 'errors-warnings',
  };
  return [browser, serverRenderer(production)];
};
