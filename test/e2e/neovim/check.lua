-- Drives Neovim like a user: open the file, wait for the diagnostics, hover the loop, ask for code
-- actions, apply the process-pool fix with vim.lsp.util.apply_workspace_edit, then write what happened
-- as JSON to $PARALLELIZE_RESULT for the test to judge. Every wait is bounded.
local WAIT_MS = tonumber(os.getenv('PARALLELIZE_WAIT_MS') or '60000')
local FIX_TITLE = 'Run the loop in a ProcessPoolExecutor'
local out = { log = {} }

local function codes_of(diagnostics)
  local codes = {}
  for _, d in ipairs(diagnostics or {}) do
    table.insert(codes, { code = d.code, line = d.range.start.line, source = d.source })
  end
  return codes
end

local function latest_published(uri)
  local found
  for _, p in ipairs(_G.parallelize.published) do
    if p.uri == uri then found = p end
  end
  return found
end

local function has_code(p, code)
  for _, d in ipairs(p and p.diagnostics or {}) do
    if d.code == code then return true end
  end
  return false
end

local function run()
  local buf = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(buf)
  local client_id = _G.parallelize.client_id
  assert(client_id, 'the language server did not start')
  assert(vim.lsp.buf_attach_client(buf, client_id), 'buf_attach_client failed')

  assert(vim.wait(WAIT_MS, function() return has_code(latest_published(uri), 'PAR101') end, 50), 'no PAR101 published')
  local published = latest_published(uri)
  out.diagnostics = codes_of(published.diagnostics)
  -- what Neovim itself holds (vim.diagnostic), not only what the server sent
  out.neovim_diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out.neovim_diagnostics, { lnum = d.lnum, message = d.message, source = d.source })
  end

  local par101
  for _, d in ipairs(published.diagnostics) do
    if d.code == 'PAR101' then par101 = d end
  end

  local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
    textDocument = { uri = uri },
    position = par101.range.start,
  }, WAIT_MS)
  local hover_result = hover and hover[client_id] and hover[client_id].result
  out.hover = hover_result and hover_result.contents and (hover_result.contents.value or vim.inspect(hover_result.contents)) or ''

  local actions = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = par101.range,
    context = { diagnostics = { par101 }, only = { 'quickfix' } },
  }, WAIT_MS)
  local list = actions and actions[client_id] and actions[client_id].result or {}
  out.action_titles = {}
  local chosen
  for _, action in ipairs(list) do
    table.insert(out.action_titles, action.title)
    if not chosen and action.title:sub(1, #FIX_TITLE) == FIX_TITLE then chosen = action end
  end
  assert(chosen, 'no "' .. FIX_TITLE .. '" code action')
  assert(chosen.edit, 'the fix carries no edit')
  local client = vim.lsp.get_client_by_id(client_id)
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  out.text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') .. '\n'

  -- the edit reaches the server through didChange; the loop is gone, so PAR101 must go too
  local count = #_G.parallelize.published
  vim.wait(WAIT_MS, function()
    return #_G.parallelize.published > count and not has_code(latest_published(uri), 'PAR101')
  end, 50)
  out.diagnostics_after_fix = codes_of(latest_published(uri).diagnostics)
end

local ok, err = pcall(run)
if not ok then out.error = tostring(err) end
local file = assert(io.open(assert(os.getenv('PARALLELIZE_RESULT'), 'PARALLELIZE_RESULT is not set'), 'w'))
file:write(vim.fn.json_encode(out))
file:close()
vim.lsp.stop_client(_G.parallelize.client_id)
vim.cmd('qa!')
