/* The program the fork+exec benchmark runs: does nothing, exits 0. */
int main(void)
{
	return 0;
}
