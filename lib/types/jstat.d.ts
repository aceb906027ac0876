// The one function of jstat (it ships no types) that conecta-load uses: Student's t CDF.
declare module 'jstat' {
  const jStat: {
    studentt: { cdf(x: number, dof: number): number };
  };
  export default jStat;
}
