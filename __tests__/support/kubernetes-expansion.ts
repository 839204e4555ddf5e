/**
 * `$(VAR)` references in a container's command and args, expanded as the
 * kubelet does before it starts the container: a port of kubernetes
 * `third_party/forked/golang/expansion/expand.go` (`Expand`,
 * `tryReadVariableName`, `MappingFuncFor`), called from
 * pkg/kubelet/container/helpers.go `ExpandContainerCommandAndArgs` with the
 * container's env. `$$` is a literal `$`; a reference to a variable the
 * container does not define stays as written; a value is never expanded again.
 */
export function expandKubernetesReferences(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let advance = 1;
    if (rest[0] === '$') {
      out += '$';
    } else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close === -1) {
        out += '$(';
      } else {
        const name = rest.slice(1, close);
        out += lookup(name) ?? `$(${name})`;
        advance = close + 1;
      }
    } else {
      out += `$${rest[0]}`;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/** The names of the variables an input refers to with `$(NAME)` (an escaped `$$(` is none), in order. */
export function kubernetesReferences(input: string): string[] {
  const names: string[] = [];
  expandKubernetesReferences(input, (name) => {
    names.push(name);
    return undefined;
  });
  return names;
}
