"""The values every layer uses: errors (messages name the fix), config, ids, person, inputs, tokens, paths, yamlfile, prompts."""
