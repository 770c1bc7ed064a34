/** The server's improvements as a step curve: the previous best held until the trial that beat it. */
export function stepPoints(points: readonly (readonly [number, number])[]): { x: number; y: number }[] {
  return points.flatMap(([x, y], i) => {
    const previous = points[i - 1];
    return previous && x - 1 > previous[0] ? [{ x: x - 1, y: previous[1] }, { x, y }] : [{ x, y }];
  });
}
