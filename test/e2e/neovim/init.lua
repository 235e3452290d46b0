-- Neovim 0.7 configuration for the editor test: start the language server as any LSP editor would
-- (`node dist/server.js --stdio`) and keep the raw publishDiagnostics payloads for check.lua.
-- Neovim 0.7 has no vim.lsp.start: start_client here, buf_attach_client in check.lua.
vim.o.swapfile = false
_G.parallelize = { published = {} }

local server = assert(os.getenv('PARALLELIZE_SERVER'), 'PARALLELIZE_SERVER is not set')
local node = os.getenv('PARALLELIZE_NODE') or 'node'

_G.parallelize.client_id = vim.lsp.start_client({
  name = 'parallelize',
  cmd = { node, server, '--stdio' },
  root_dir = vim.fn.getcwd(),
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      table.insert(_G.parallelize.published, result)
      return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
    end,
  },
})
